/** `tscompose restart`. */
import type { CommandDefinition } from './command-definition.js';
import { parseSeconds } from './option-parsers.js';

export const restartDefinition: CommandDefinition = (program, host) => {
  program
    .command('restart')
    .description('restart containers (configuration changes are applied by up, not by restart)')
    .argument('[services...]', 'only these services (and their restart: true dependents)')
    .option('--no-deps', "don't restart dependent services")
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .action(
      host.action(async (ctx, services: string[], raw: { deps?: boolean; timeout?: number }) => {
        const { restartCommand } = await import('./restart.js');
        await restartCommand(ctx, services, { noDeps: raw.deps === false, ...(raw.timeout === undefined ? {} : { timeout: raw.timeout }) });
      }),
    );
};
