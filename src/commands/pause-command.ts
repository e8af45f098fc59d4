/** `tscompose pause` and `tscompose unpause`. */
import type { CommandDefinition } from './command-definition.js';

export const pauseDefinition: CommandDefinition = (program, host) => {
  program
    .command('pause')
    .description('pause the running containers of services')
    .argument('[services...]', 'only these services')
    .action(
      host.action(async (ctx, services: string[]) => {
        const { pauseCommand } = await import('./pause.js');
        await pauseCommand(ctx, services, true);
      }),
    );
};

export const unpauseDefinition: CommandDefinition = (program, host) => {
  program
    .command('unpause')
    .description('unpause the paused containers of services')
    .argument('[services...]', 'only these services')
    .action(
      host.action(async (ctx, services: string[]) => {
        const { pauseCommand } = await import('./pause.js');
        await pauseCommand(ctx, services, false);
      }),
    );
};
