/** `tscompose ps`. */
import type { CommandDefinition } from './command-definition.js';
import { collect, parseBoolean } from './option-parsers.js';
import type { PsOptions } from './ps.js';

export const psDefinition: CommandDefinition = (program, host) => {
  program
    .command('ps')
    .description('list the containers of the project')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'also stopped and one-off containers')
    .option('-q, --quiet', 'only the container IDs')
    .option('--services', 'only the service names')
    .option('--status <status>', 'only containers in this state (repeatable): paused, restarting, removing, running, dead, created, exited', collect)
    .option('--filter <key=value>', 'filter by a property; only status=... is supported (repeatable)', collect)
    .option('--format <format>', 'table, json, or a template like {{.Name}}', 'table')
    .option('--no-trunc', "don't truncate IDs and commands")
    .option('--orphans [bool]', 'include containers of services the compose file no longer has', parseBoolean, true)
    .action(
      host.action(async (ctx, services: string[], options: PsOptions) => {
        const { psCommand } = await import('./ps.js');
        await psCommand(ctx, services, options);
      }),
    );
};
