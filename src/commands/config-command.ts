/** `tscompose config` (alias `convert`): the project in Compose's canonical form. */
import { Option } from 'commander';
import type { CommandDefinition } from './command-definition.js';
import type { ConfigOptions } from './config.js';

export const configDefinition: CommandDefinition = (program, host) => {
  program
    .command('config')
    .alias('convert')
    .description('parse, resolve and render the compose file in canonical format')
    .argument('[services...]', 'only these services (and their dependencies)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('-q, --quiet', 'only validate the configuration, print nothing')
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--networks', 'print the network names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('--hash <services>', "print the config hash of these services (comma-separated, or '*' for all)")
    .option('--no-interpolate', "don't interpolate environment variables")
    .option('-o, --output <file>', 'save to this file instead of printing')
    .action(
      host.action(async (ctx, services: string[], options: ConfigOptions) => {
        const { configCommand } = await import('./config.js');
        await configCommand(ctx, services, options);
      }),
    );
};
