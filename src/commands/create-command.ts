/** `tscompose create`: `up --no-start` under Compose's name for it. */
import type { CommandDefinition } from './command-definition.js';
import { collect } from './option-parsers.js';
import { upOptionsFrom, type RawUpFlags } from './up-command.js';

export const createDefinition: CommandDefinition = (program, host) => {
  program
    .command('create')
    .description('create the containers of services without starting them')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('--build', 'build images before creating containers')
    .option('--no-build', "don't build an image, even if it's missing")
    .option('--force-recreate', "recreate containers even if their configuration and image haven't changed")
    .option('--no-recreate', "if containers already exist, don't recreate them")
    .option('--pull <policy>', 'pull image before creating ("always"|"missing"|"never"|"build")')
    .option('--quiet-pull', 'pull without printing progress information')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=num>', 'scale SERVICE to NUM instances (repeatable)', collect)
    .action(
      host.action(async (ctx, services: string[], raw: RawUpFlags) => {
        const options = { ...upOptionsFrom(raw, (flag) => host.flagGiven(flag)), detach: true, noStart: true };
        const { upCommand } = await import('./up.js');
        await upCommand(ctx, services, options);
      }),
    );
};
