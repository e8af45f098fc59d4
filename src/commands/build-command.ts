/** `tscompose build`. */
import type { BuildOptions } from './build.js';
import type { CommandDefinition } from './command-definition.js';
import { collect } from './option-parsers.js';

interface RawBuildFlags {
  buildArg?: string[];
  cache?: boolean;
  pull?: boolean;
  quiet?: boolean;
  withDependencies?: boolean;
  push?: boolean;
  ssh?: string[];
  memory?: string;
}

export const buildDefinition: CommandDefinition = (program, host) => {
  program
    .command('build')
    .description('build or rebuild the images of services')
    .argument('[services...]', 'only these services')
    .option('--build-arg <key=value>', 'set a build-time variable (repeatable; KEY alone takes it from the environment)', collect)
    .option('--no-cache', 'do not use the build cache')
    .option('--pull', 'always try to pull newer versions of base images')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--with-dependencies', 'also build the images of the services they depend on')
    .option('--push', 'push the images once built')
    .option('--ssh <ssh>', "ssh agent or keys for RUN --mount=type=ssh: 'default' or ID=SOCKET|KEY[,KEY] (repeatable)", collect)
    .option('-m, --memory <bytes>', 'memory limit of the classic builder (ignored by BuildKit)')
    .action(
      host.action(async (ctx, services: string[], options: RawBuildFlags) => {
        const { buildCommand } = await import('./build.js');
        const buildOptions: BuildOptions = {
          buildArg: options.buildArg,
          noCache: options.cache === false,
          pull: options.pull,
          quiet: options.quiet,
          withDependencies: options.withDependencies,
          push: options.push,
          ssh: options.ssh,
          memory: options.memory,
        };
        await buildCommand(ctx, services, buildOptions);
      }),
    );
};
