/** `tscompose kill`. */
import type { CommandDefinition } from './command-definition.js';

export const killDefinition: CommandDefinition = (program, host) => {
  program
    .command('kill')
    .description('send a signal to the running containers of services (default SIGKILL)')
    .argument('[services...]', 'only these services')
    .option('-s, --signal <signal>', 'the signal to send', 'SIGKILL')
    .option('--remove-orphans', 'also the containers of services the compose file no longer has')
    .action(
      host.action(async (ctx, services: string[], raw: { signal: string; removeOrphans?: boolean }) => {
        const { killCommand } = await import('./kill.js');
        await killCommand(ctx, services, { signal: raw.signal, removeOrphans: raw.removeOrphans ?? false });
      }),
    );
};
