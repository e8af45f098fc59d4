/** `tscompose scale SERVICE=NUM...`: `up -d --scale` of those services (with their dependencies unless --no-deps). */
import type { CommandDefinition } from './command-definition.js';
import { UsageError } from '../errors.js';
import { upOptionsFrom } from './up-command.js';

export const scaleDefinition: CommandDefinition = (program, host) => {
  program
    .command('scale')
    .description('set the number of containers of services')
    .argument('<service=num...>', 'the services and their number of containers')
    .option('--no-deps', "don't start the services they depend on")
    .action(
      host.action(async (ctx, entries: string[], raw: { deps?: boolean }) => {
        const services = entries.map((entry) => {
          const equals = entry.indexOf('=');
          if (equals <= 0) throw new UsageError(`invalid scale "${entry}": use SERVICE=NUM`);
          return entry.slice(0, equals);
        });
        const options = upOptionsFrom({ detach: true, scale: entries, ...(raw.deps === false ? { deps: false } : {}) });
        const { upCommand } = await import('./up.js');
        await upCommand(ctx, services, options);
      }),
    );
};
