/** `tscompose start`. */
import type { CommandDefinition } from './command-definition.js';

export const startDefinition: CommandDefinition = (program, host) => {
  program
    .command('start')
    .description('start existing containers')
    .argument('[services...]', 'only these services (and their dependencies)')
    .action(
      host.action(async (ctx, services: string[]) => {
        const { startCommand } = await import('./start.js');
        await startCommand(ctx, services);
      }),
    );
};
