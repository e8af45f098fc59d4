/** `tscompose down`. */
import type { CommandDefinition } from './command-definition.js';
import { parseSeconds } from './option-parsers.js';

export const downDefinition: CommandDefinition = (program, host) => {
  program
    .command('down')
    .description('stop and remove containers, networks (and with -v volumes, with --rmi images)')
    .argument('[services...]', 'only these services')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('-v, --volumes', "remove the project's named volumes and the anonymous volumes of its containers")
    .option('--rmi <type>', 'remove images used by services: "local" (only those without a custom tag) or "all"')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .action(
      host.action(async (ctx, services: string[], raw: { removeOrphans?: boolean; volumes?: boolean; rmi?: string; timeout?: number }) => {
        const { downCommand } = await import('./down.js');
        await downCommand(ctx, services, {
          ...(raw.removeOrphans === undefined ? {} : { removeOrphans: raw.removeOrphans }),
          volumes: raw.volumes ?? false,
          ...(raw.rmi === undefined ? {} : { rmi: raw.rmi }),
          ...(raw.timeout === undefined ? {} : { timeout: raw.timeout }),
        });
      }),
    );
};
