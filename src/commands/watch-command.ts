/** `tscompose watch`. */
import type { CommandDefinition } from './command-definition.js';
import { parseBoolean } from './option-parsers.js';

export const watchDefinition: CommandDefinition = (program, host) => {
  program
    .command('watch')
    .description('start the services (up -d --build), then sync, rebuild, restart or reload them when their files change')
    .argument('[services...]', 'only these services')
    .option('--no-up', "don't build and start the services before watching")
    .option('--prune [bool]', 'remove the images that rebuilds replace (default true)', parseBoolean, true)
    .option('--quiet', 'hide the build output')
    .action(
      host.action(async (ctx, services: string[], raw: { up?: boolean; prune?: boolean; quiet?: boolean }) => {
        const { watchCommand } = await import('./watch.js');
        await watchCommand(ctx, services, { noUp: raw.up === false, prune: raw.prune ?? true, quiet: raw.quiet ?? false });
      }),
    );
};
