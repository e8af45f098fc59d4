/** `tscompose push`. */
import type { CommandDefinition } from './command-definition.js';
import type { PushOptions } from './push.js';

export const pushDefinition: CommandDefinition = (program, host) => {
  program
    .command('push')
    .description('push the images of services (those with a build section and an image name)')
    .argument('[services...]', 'only these services')
    .option('--ignore-push-failures', 'push what can be pushed and warn about images that fail')
    .option('--include-deps', 'also push the images of the services they depend on')
    .option('-q, --quiet', 'print nothing but errors')
    .action(
      host.action(async (ctx, services: string[], options: PushOptions) => {
        const { pushCommand } = await import('./push.js');
        await pushCommand(ctx, services, options);
      }),
    );
};
