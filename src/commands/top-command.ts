/** `tscompose top`. */
import type { CommandDefinition } from './command-definition.js';

export const topDefinition: CommandDefinition = (program, host) => {
  program
    .command('top')
    .description('show the processes running in the containers of services')
    .argument('[services...]', 'only these services')
    .action(
      host.action(async (ctx, services: string[]) => {
        const { topCommand } = await import('./top.js');
        await topCommand(ctx, services);
      }),
    );
};
