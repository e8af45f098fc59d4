/** `tscompose wait`. */
import type { CommandDefinition } from './command-definition.js';

export const waitDefinition: CommandDefinition = (program, host) => {
  program
    .command('wait')
    .description("block until the first container of the services stops, and exit with its exit code")
    .argument('<services...>', 'the services')
    .option('--down-project', 'then take the project down')
    .action(
      host.action(async (ctx, services: string[], raw: { downProject?: boolean }) => {
        const { waitCommand } = await import('./wait.js');
        await waitCommand(ctx, services, { downProject: raw.downProject ?? false });
      }),
    );
};
