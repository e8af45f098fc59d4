/** `tscompose exec`. */
import type { CommandDefinition } from './command-definition.js';
import type { ExecCommandOptions } from './exec.js';
import { collect, parseInteger } from './option-parsers.js';

interface RawExecFlags {
  detach?: boolean;
  env?: string[];
  index?: number;
  TTY?: boolean;
  interactive?: boolean;
  privileged?: boolean;
  user?: string;
  workdir?: string;
}

export const execDefinition: CommandDefinition = (program, host) => {
  program
    .command('exec')
    .description('run a command in a running container of a service')
    .argument('<service>', 'the service')
    .argument('<command...>', 'the command and its arguments')
    .passThroughOptions()
    .option('-d, --detach', 'run the command in the background')
    .option('-e, --env <key=value>', 'set an environment variable (repeatable; KEY alone takes it from the environment)', collect)
    .option('--index <n>', 'the replica of the service (default: the first)', parseInteger)
    .option('-T, --no-TTY', 'no pseudo-terminal (default: one when stdin and stdout are terminals)')
    .option('-i, --interactive', 'keep stdin open (the default)', true)
    .option('--privileged', 'give extended privileges to the process')
    .option('-u, --user <user>', 'run the command as this user')
    .option('-w, --workdir <dir>', 'working directory for the command')
    .action(
      host.action(async (ctx, service: string, command: string[], raw: RawExecFlags) => {
        const options: ExecCommandOptions = {
          detach: raw.detach ?? false,
          env: raw.env ?? [],
          ...(raw.index === undefined ? {} : { index: raw.index }),
          noTty: raw.TTY === false,
          interactive: raw.interactive ?? true,
          privileged: raw.privileged ?? false,
          ...(raw.user === undefined ? {} : { user: raw.user }),
          ...(raw.workdir === undefined ? {} : { workdir: raw.workdir }),
        };
        const { execCommand } = await import('./exec.js');
        await execCommand(ctx, service, command, options);
      }),
    );
};
