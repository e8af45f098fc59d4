/** `tscompose up`. */
import type { CommandDefinition } from './command-definition.js';
import { collect, parseSeconds, valueOption } from './option-parsers.js';
import type { UpOptions } from './up.js';

export interface RawUpFlags {
  detach?: boolean;
  build?: boolean;
  pull?: string;
  quietPull?: boolean;
  removeOrphans?: boolean;
  scale?: string[];
  forceRecreate?: boolean;
  recreate?: boolean;
  alwaysRecreateDeps?: boolean;
  renewAnonVolumes?: boolean;
  start?: boolean;
  deps?: boolean;
  timeout?: number;
  wait?: boolean;
  waitTimeout?: number;
  abortOnContainerExit?: boolean;
  abortOnContainerFailure?: boolean;
  exitCodeFrom?: string;
  attach?: string[];
  noAttach?: string[];
  attachDependencies?: boolean;
  color?: boolean;
  logPrefix?: boolean;
  timestamps?: boolean;
  watch?: boolean;
  explain?: boolean;
  yes?: boolean;
}

export const upDefinition: CommandDefinition = (program, host) => {
  program
    .command('up')
    .description('create and start containers')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('-d, --detach', 'detached mode: run containers in the background')
    .option('--build', 'build images before starting containers')
    .option('--no-build', "don't build an image, even if it's missing")
    .option('--pull <policy>', 'pull image before running ("always"|"missing"|"never"|"build"|"policy")')
    .option('--quiet-pull', 'pull without printing progress information')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=num>', 'scale SERVICE to NUM instances (repeatable; overrides scale in the file)', collect)
    .option('--force-recreate', "recreate containers even if their configuration and image haven't changed")
    .option('--no-recreate', "if containers already exist, don't recreate them")
    .option('--always-recreate-deps', 'recreate dependent containers too')
    .option('-V, --renew-anon-volumes', 'recreate anonymous volumes instead of keeping the data of the previous containers')
    .option('--no-start', "don't start the services after creating them")
    .option('--no-deps', "don't start linked services")
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds for containers that are stopped or recreated', parseSeconds)
    .option('--wait', 'wait for services to be running|healthy (implies detached mode)')
    .option('--wait-timeout <seconds>', 'maximum duration to wait for the project to be running|healthy', parseSeconds)
    .option('--abort-on-container-exit', 'stop all containers if any container was stopped (attached mode)')
    .option('--abort-on-container-failure', 'stop all containers if any container exited with a failure (attached mode)')
    .option('--exit-code-from <service>', "return the exit code of this service's container (implies --abort-on-container-exit)")
    .option('--attach <service>', 'restrict attaching to the specified services (repeatable)', collect)
    .addOption(valueOption('--no-attach <service>', "don't attach to the output of this service (repeatable)", collect))
    .option('--attach-dependencies', 'also attach to the output of dependencies')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', "don't print a prefix in logs")
    .option('--timestamps', 'show timestamps')
    .option('-w, --watch', 'watch files and sync, rebuild, restart or reload services when they change (see "tscompose watch")')
    .option('--explain', 'print why each container is created, recreated, started or removed before doing it')
    .option('-y, --yes', 'assume "yes" as answer to all prompts: recreate volumes whose definition changed (their data is lost)')
    .action(
      host.action(async (ctx, services: string[], raw: RawUpFlags) => {
        const options = upOptionsFrom(raw, (flag) => host.flagGiven(flag));
        const { upCommand } = await import('./up.js');
        await upCommand(ctx, services, options);
      }),
    );
};

/** The command line's flags as UpOptions (shared with `create` and `scale`, which take a subset). */
export function upOptionsFrom(raw: RawUpFlags, flagGiven: (flag: string) => boolean = () => false): UpOptions {
  return {
    detach: raw.detach ?? false,
    build: flagGiven('--build'),
    noBuild: flagGiven('--no-build'),
    ...(raw.pull === undefined ? {} : { pull: raw.pull }),
    quietPull: raw.quietPull ?? false,
    ...(raw.removeOrphans === undefined ? {} : { removeOrphans: raw.removeOrphans }),
    scale: raw.scale ?? [],
    forceRecreate: raw.forceRecreate ?? false,
    noRecreate: raw.recreate === false,
    alwaysRecreateDeps: raw.alwaysRecreateDeps ?? false,
    renewAnonVolumes: raw.renewAnonVolumes ?? false,
    noStart: raw.start === false,
    noDeps: raw.deps === false,
    ...(raw.timeout === undefined ? {} : { timeout: raw.timeout }),
    wait: raw.wait ?? false,
    ...(raw.waitTimeout === undefined ? {} : { waitTimeout: raw.waitTimeout }),
    abortOnContainerExit: raw.abortOnContainerExit ?? false,
    abortOnContainerFailure: raw.abortOnContainerFailure ?? false,
    ...(raw.exitCodeFrom === undefined ? {} : { exitCodeFrom: raw.exitCodeFrom }),
    attach: raw.attach ?? [],
    noAttach: raw.noAttach ?? [],
    attachDependencies: raw.attachDependencies ?? false,
    noColor: raw.color === false,
    noLogPrefix: raw.logPrefix === false,
    timestamps: raw.timestamps ?? false,
    watch: raw.watch ?? false,
    explain: raw.explain ?? false,
    yes: raw.yes ?? false,
  };
}
