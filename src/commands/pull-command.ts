/** `tscompose pull`. */
import { Option } from 'commander';
import type { CommandDefinition } from './command-definition.js';
import type { PullOptions } from './pull.js';

export const pullDefinition: CommandDefinition = (program, host) => {
  program
    .command('pull')
    .description('pull the images of services')
    .argument('[services...]', 'only these services')
    .option('--ignore-pull-failures', 'pull what can be pulled and ignore images that fail')
    .option('--ignore-buildable', 'do not pull images that can be built')
    .option('--include-deps', 'also pull the images of the services they depend on')
    .addOption(new Option('--policy <policy>', 'pull policy for every service').choices(['missing', 'always']))
    .option('-q, --quiet', 'print nothing but errors')
    .action(
      host.action(async (ctx, services: string[], options: PullOptions) => {
        const { pullCommand } = await import('./pull.js');
        await pullCommand(ctx, services, options);
      }),
    );
};
