/** `tscompose run`. */
import type { CommandDefinition } from './command-definition.js';
import { collect } from './option-parsers.js';
import type { RunCommandOptions } from './run.js';

interface RawRunFlags {
  rm?: boolean;
  detach?: boolean;
  env?: string[];
  entrypoint?: string;
  name?: string;
  deps?: boolean;
  publish?: string[];
  servicePorts?: boolean;
  useAliases?: boolean;
  user?: string;
  volume?: string[];
  workdir?: string;
  TTY?: boolean;
  interactive?: boolean;
  build?: boolean;
  pull?: string;
  label?: string[];
  capAdd?: string[];
  capDrop?: string[];
  removeOrphans?: boolean;
  quietPull?: boolean;
}

export const runDefinition: CommandDefinition = (program, host) => {
  program
    .command('run')
    .description('run a one-off command in a new container of a service')
    .argument('<service>', 'the service')
    .argument('[command...]', "the command and its arguments (default: the service's command)")
    .passThroughOptions()
    .option('--rm', 'remove the container when it exits')
    .option('-d, --detach', 'run the container in the background and print its ID')
    .option('-e, --env <key=value>', 'set an environment variable (repeatable; KEY alone takes it from the environment)', collect)
    .option('--entrypoint <entrypoint>', "override the image's entrypoint")
    .option('--name <name>', 'name the container')
    .option('--no-deps', "don't start the services it depends on")
    .option('-p, --publish <port>', "publish a container's port to the host (repeatable)", collect)
    .option('-P, --service-ports', "publish the service's ports")
    .option('--use-aliases', "use the service's network aliases")
    .option('-u, --user <user>', 'run as this user')
    .option('-v, --volume <volume>', 'mount a volume or bind mount (repeatable)', collect)
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-T, --no-TTY', 'no pseudo-terminal (default: one when stdin and stdout are terminals)')
    .option('-i, --interactive', 'keep stdin open (the default)', true)
    .option('--build', 'build the image before starting the container')
    .option('--pull <policy>', 'pull the image before running ("always"|"missing"|"never")')
    .option('-l, --label <key=value>', 'add or override a label (repeatable)', collect)
    .option('--cap-add <capability>', 'add a Linux capability (repeatable)', collect)
    .option('--cap-drop <capability>', 'drop a Linux capability (repeatable)', collect)
    .option('--remove-orphans', 'remove containers of services not defined in the compose file')
    .option('--quiet-pull', 'pull without printing progress information')
    .action(
      host.action(async (ctx, service: string, command: string[], raw: RawRunFlags) => {
        const options: RunCommandOptions = {
          rm: raw.rm ?? false,
          detach: raw.detach ?? false,
          env: raw.env ?? [],
          ...(raw.entrypoint === undefined ? {} : { entrypoint: raw.entrypoint }),
          ...(raw.name === undefined ? {} : { name: raw.name }),
          noDeps: raw.deps === false,
          publish: raw.publish ?? [],
          servicePorts: raw.servicePorts ?? false,
          useAliases: raw.useAliases ?? false,
          ...(raw.user === undefined ? {} : { user: raw.user }),
          volume: raw.volume ?? [],
          ...(raw.workdir === undefined ? {} : { workdir: raw.workdir }),
          noTty: raw.TTY === false,
          interactive: raw.interactive ?? true,
          build: raw.build ?? false,
          ...(raw.pull === undefined ? {} : { pull: raw.pull }),
          label: raw.label ?? [],
          capAdd: raw.capAdd ?? [],
          capDrop: raw.capDrop ?? [],
          ...(raw.removeOrphans === undefined ? {} : { removeOrphans: raw.removeOrphans }),
          quietPull: raw.quietPull ?? false,
        };
        const { runCommand } = await import('./run.js');
        await runCommand(ctx, service, command, options);
      }),
    );
};
