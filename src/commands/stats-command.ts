/** `tscompose stats`. */
import type { CommandDefinition } from './command-definition.js';

export const statsDefinition: CommandDefinition = (program, host) => {
  program
    .command('stats')
    .description('show the resource use of the containers of the project (live, until Ctrl-C)')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'also stopped containers')
    .option('--no-stream', 'print the first reading and exit')
    .option('--no-trunc', "don't truncate the container IDs")
    .option('--format <format>', 'table, json, "table TEMPLATE" or a template like {{.Name}} {{.CPUPerc}}', 'table')
    .action(
      host.action(async (ctx, services: string[], raw: { all?: boolean; stream?: boolean; trunc?: boolean; format: string }) => {
        const { statsCommand } = await import('./stats.js');
        await statsCommand(ctx, services, { all: raw.all ?? false, noStream: raw.stream === false, noTrunc: raw.trunc === false, format: raw.format });
      }),
    );
};
