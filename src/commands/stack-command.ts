/**
 * `tscompose stack deploy|ls|ps|services|rm`: the command definitions, with docker stack's flags
 * and aliases (`up`, `list`, `remove`, `down`). The implementations (and with them the engine
 * client) load only when a subcommand runs.
 */
import { Option } from 'commander';
import type { Context } from '../context.js';
import type { CommandDefinition } from './command-definition.js';
import { collect, parseSeconds } from './option-parsers.js';

interface RawDeployFlags {
  composeFile?: string[];
  envFile?: string[];
  profile?: string[];
  prune?: boolean;
  resolveImage: string;
  withRegistryAuth?: boolean;
  detach?: boolean;
  quiet?: boolean;
  waitTimeout?: number;
  dryRun?: boolean;
}

export const stackDefinition: CommandDefinition = (program, host) => {
  const action = host.action.bind(host);
  const stack = program.command('stack').description('deploy the compose file to a Docker Swarm and manage its stacks');

  stack
    .command('deploy')
    .alias('up')
    .description('deploy a new stack or update an existing one, and wait until it has converged')
    .argument('<stack>', 'the stack name')
    .option('-c, --compose-file <file>', 'compose file (repeatable; "-" reads stdin; default: as for up: -f, COMPOSE_FILE, compose.yaml, ...)', collect)
    .option('--env-file <file>', 'alternate environment file (repeatable)', collect)
    .option('--profile <profile>', 'enable a profile (repeatable)', collect)
    .option('--prune', 'remove the services the file no longer has')
    .addOption(new Option('--resolve-image <when>', 'query the registry for image digests: always, changed or never').default('always'))
    .option('--with-registry-auth', 'send the registry credentials of docker login to the swarm, so every node can pull')
    // A bare flag: an optional value would swallow the stack name in `deploy -d NAME`.
    .option('-d, --detach', 'return once the changes are made, without waiting for the services to converge (the default is to wait)')
    .option('-q, --quiet', 'no progress output')
    .option('--wait-timeout <seconds>', 'how long to wait for the services to converge (default 300, or TSCOMPOSE_WAIT_TIMEOUT)', parseSeconds)
    .option('--dry-run', 'print what would change, per service and field, and change nothing')
    .action(
      action(async (ctx, name: string, raw: RawDeployFlags) => {
        const { stackDeployCommand } = await import('./stack/deploy.js');
        const quietCtx: Context = raw.quiet ? { ...ctx, options: { ...ctx.options, progress: 'quiet' } } : ctx;
        await stackDeployCommand(quietCtx, name, {
          composeFiles: raw.composeFile ?? [],
          envFiles: raw.envFile ?? [],
          profiles: raw.profile ?? [],
          prune: raw.prune ?? false,
          resolveImage: raw.resolveImage,
          withRegistryAuth: raw.withRegistryAuth ?? false,
          detach: raw.detach ?? false,
          quiet: raw.quiet ?? false,
          ...(raw.waitTimeout === undefined ? {} : { waitTimeout: raw.waitTimeout }),
          dryRun: raw.dryRun ?? false,
        });
      }),
    );

  stack
    .command('ls')
    .alias('list')
    .description('list the stacks')
    .option('--format <format>', 'table, json, or a template like {{.Name}}')
    .action(
      action(async (ctx, raw: { format?: string }) => {
        const { stackLsCommand } = await import('./stack/ls.js');
        await stackLsCommand(ctx, raw);
      }),
    );

  stack
    .command('ps')
    .description('list the tasks of a stack')
    .argument('<stack>', 'the stack name')
    .option('-f, --filter <key=value>', 'filter the tasks (id, name, node, desired-state; repeatable)', collect)
    .option('--format <format>', 'table, json, or a template like {{.Name}}')
    .option('--no-resolve', "don't map IDs to names")
    .option('--no-trunc', "don't truncate the output")
    .option('-q, --quiet', 'only the task IDs')
    .action(
      action(async (ctx, name: string, raw: { filter?: string[]; format?: string; resolve?: boolean; trunc?: boolean; quiet?: boolean }) => {
        const { stackPsCommand } = await import('./stack/ps.js');
        await stackPsCommand(ctx, name, {
          filter: raw.filter ?? [],
          ...(raw.format === undefined ? {} : { format: raw.format }),
          noResolve: raw.resolve === false,
          noTrunc: raw.trunc === false,
          quiet: raw.quiet ?? false,
        });
      }),
    );

  stack
    .command('services')
    .description('list the services of a stack')
    .argument('<stack>', 'the stack name')
    .option('-f, --filter <key=value>', 'filter the services (id, label, mode, name; repeatable)', collect)
    .option('--format <format>', 'table, json, or a template like {{.Name}}')
    .option('-q, --quiet', 'only the service IDs')
    .action(
      action(async (ctx, name: string, raw: { filter?: string[]; format?: string; quiet?: boolean }) => {
        const { stackServicesCommand } = await import('./stack/services.js');
        await stackServicesCommand(ctx, name, { filter: raw.filter ?? [], ...(raw.format === undefined ? {} : { format: raw.format }), quiet: raw.quiet ?? false });
      }),
    );

  stack
    .command('rm')
    .aliases(['remove', 'down'])
    .description('remove one or more stacks (their services, secrets, configs and networks; never volumes)')
    .argument('<stacks...>', 'the stack names')
    .option('-d, --detach', "don't wait for the tasks to stop before removing the networks")
    .action(
      action(async (ctx, names: string[], raw: { detach?: boolean }) => {
        const { stackRmCommand } = await import('./stack/rm.js');
        await stackRmCommand(ctx, names, { detach: raw.detach ?? false });
      }),
    );
};
