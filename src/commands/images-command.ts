/** `tscompose images`. */
import { Option } from 'commander';
import type { CommandDefinition } from './command-definition.js';

export const imagesDefinition: CommandDefinition = (program, host) => {
  program
    .command('images')
    .description('list the images the containers of the project were created from')
    .argument('[services...]', 'only these services')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-q, --quiet', 'only the image IDs')
    .action(
      host.action(async (ctx, services: string[], raw: { format: string; quiet?: boolean }) => {
        const { imagesCommand } = await import('./images.js');
        await imagesCommand(ctx, services, { format: raw.format, quiet: raw.quiet ?? false });
      }),
    );
};
