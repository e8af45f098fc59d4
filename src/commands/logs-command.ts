/** `tscompose logs`. */
import type { CommandDefinition } from './command-definition.js';
import type { LogsOptions } from './logs.js';
import { parseInteger } from './option-parsers.js';

export const logsDefinition: CommandDefinition = (program, host) => {
  program
    .command('logs')
    .description('show the output of the containers')
    .argument('[services...]', 'only these services')
    .option('-f, --follow', 'keep following, including containers that start later')
    .option('-n, --tail <lines>', 'number of lines from the end of each container\'s log, or "all"', 'all')
    .option('--since <time>', 'only lines since a time (2024-01-02T15:04:05Z, Unix seconds) or a duration ago (42m)')
    .option('--until <time>', 'only lines before a time or a duration ago')
    .option('-t, --timestamps', 'show timestamps')
    .option('--no-color', 'monochrome output')
    .option('--no-log-prefix', "don't prefix lines with the container name")
    .option('--index <n>', 'the replica of the service to show', parseInteger)
    .action(
      host.action(async (ctx, services: string[], options: LogsOptions) => {
        const { logsCommand } = await import('./logs.js');
        await logsCommand(ctx, services, options);
      }),
    );
};
