/** `tscompose ls`. */
import { Option } from 'commander';
import type { CommandDefinition } from './command-definition.js';
import { collect } from './option-parsers.js';

export const lsDefinition: CommandDefinition = (program, host) => {
  program
    .command('ls')
    .description('list the Compose projects on the engine (tscompose\'s and Docker Compose\'s)')
    .option('-a, --all', 'also projects whose containers are all stopped')
    .option('-q, --quiet', 'only the project names')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--filter <name=value>', 'only projects whose name contains value (repeatable)', collect)
    .action(
      host.action(async (ctx, raw: { all?: boolean; quiet?: boolean; format: string; filter?: string[] }) => {
        const { lsCommand } = await import('./ls.js');
        await lsCommand(ctx, { all: raw.all ?? false, quiet: raw.quiet ?? false, format: raw.format, filter: raw.filter ?? [] });
      }),
    );
};
