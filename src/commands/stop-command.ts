/** `tscompose stop`. */
import type { CommandDefinition } from './command-definition.js';
import { parseSeconds } from './option-parsers.js';

export const stopDefinition: CommandDefinition = (program, host) => {
  program
    .command('stop')
    .description('stop running containers without removing them')
    .argument('[services...]', 'only these services')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .action(
      host.action(async (ctx, services: string[], raw: { timeout?: number }) => {
        const { stopCommand } = await import('./stop.js');
        await stopCommand(ctx, services, raw.timeout === undefined ? {} : { timeout: raw.timeout });
      }),
    );
};
