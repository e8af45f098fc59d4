/** `tscompose rm`. */
import type { CommandDefinition } from './command-definition.js';

export const rmDefinition: CommandDefinition = (program, host) => {
  program
    .command('rm')
    .description('remove the stopped containers of services')
    .argument('[services...]', 'only these services')
    .option('-f, --force', "don't ask to confirm the removal")
    .option('-s, --stop', 'stop the containers first, if they run')
    .option('-v, --volumes', 'also remove the anonymous volumes of the containers')
    .action(
      host.action(async (ctx, services: string[], raw: { force?: boolean; stop?: boolean; volumes?: boolean }) => {
        const { rmCommand } = await import('./rm.js');
        await rmCommand(ctx, services, { force: raw.force ?? false, stop: raw.stop ?? false, volumes: raw.volumes ?? false });
      }),
    );
};
