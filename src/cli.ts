#!/usr/bin/env node
/**
 * argv -> command. This is the one place that builds the Context, wires Ctrl-C, and turns errors
 * into messages and exit codes (0 ok, 1 error, 130 interrupted). Command implementations are
 * imported lazily so that `tscompose config` never loads the engine client.
 */
import { Command, Option, CommanderError } from 'commander';
import { setMaxListeners } from 'node:events';
import type { BuildOptions } from './commands/build.js';
import { ansiSetting, checkProgressAgainstAnsi, colorAllowed, type AnsiSetting } from './commands/output/ansi-policy.js';
import type { ConfigOptions } from './commands/config.js';
import type { LogsOptions } from './commands/logs.js';
import type { PsOptions } from './commands/ps.js';
import type { PullOptions } from './commands/pull.js';
import type { UpOptions } from './commands/up.js';
import type { Context, GlobalOptions } from './context.js';
import { toolVersion } from './commands/tool-version.js';
import { CancelledError, ConfigError, ExitCodeError, TscomposeError, UsageError } from './errors.js';
import type { Paint } from './render-problems.js';

// The nearest package.json above the running module: the project's, wherever the bundle lives.
const version = toolVersion();

/** Collects a repeatable option (`-f a -f b`). */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--orphans=false` style booleans (a bare flag means true). */
function parseBoolean(value: string): boolean {
  if (/^(?:true|1)$/i.test(value)) return true;
  if (/^(?:false|0)$/i.test(value)) return false;
  throw new UsageError(`invalid boolean: ${value}`);
}

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`invalid number: ${value}`);
  return parsed;
}

/** Seconds for -t / --timeout and --wait-timeout: a whole number (Compose rejects anything else). */
function parseSeconds(value: string): number {
  if (!/^-?[0-9]+$/.test(value)) throw new UsageError(`invalid number of seconds: "${value}"`);
  return Number(value);
}

/** Whether the command line holds this exact flag (commander folds --build and --no-build into one value). */
function flagGiven(program: Command, flag: string): boolean {
  return (program as Command & { rawArgs?: string[] }).rawArgs?.includes(flag) ?? false;
}

/**
 * An option whose name starts with `--no-` but that takes a value (Compose's `--no-attach SVC`):
 * commander would read it as the negation of `--attach`.
 */
function valueOption(flags: string, description: string, parse: (value: string, previous: string[]) => string[]): Option {
  const option = new Option(flags, description).argParser(parse);
  option.negate = false;
  return option;
}

interface RawGlobals {
  file?: string[];
  projectName?: string;
  projectDirectory?: string;
  profile?: string[];
  envFile?: string[];
  parallel?: number;
  progress?: string;
  ansi?: string;
  dryRun?: boolean;
}

function globalOptions(raw: RawGlobals, env: Record<string, string | undefined>): GlobalOptions {
  const parallelFromEnv = env.COMPOSE_PARALLEL_LIMIT ? Number(env.COMPOSE_PARALLEL_LIMIT) : undefined;
  const parallel = raw.parallel ?? parallelFromEnv;
  const progress = (raw.progress ?? env.COMPOSE_PROGRESS ?? 'auto') as GlobalOptions['progress'];
  if (!['auto', 'tty', 'plain', 'quiet', 'json'].includes(progress)) {
    throw new UsageError(`unsupported --progress value "${progress}": use auto, tty, plain, quiet or json`);
  }
  const ansi = ansiSetting(raw.ansi, env);
  checkProgressAgainstAnsi(progress, ansi);
  return {
    files: raw.file ?? [],
    projectName: raw.projectName,
    projectDirectory: raw.projectDirectory,
    profiles: raw.profile ?? [],
    envFiles: raw.envFile ?? [],
    parallel: parallel !== undefined && parallel > 0 ? parallel : undefined,
    progress,
    ansi,
    dryRun: raw.dryRun ?? false,
  };
}

/** Ctrl-C: the first signal asks for a graceful stop, the second forces it, a third exits now. */
function wireSignals(): { signal: AbortSignal; forceSignal: AbortSignal } {
  const graceful = new AbortController();
  const force = new AbortController();
  // Every engine call and stream of a command listens to these: `logs` of eleven containers is no leak.
  setMaxListeners(0, graceful.signal, force.signal);
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) graceful.abort(new CancelledError());
    else if (count === 2) force.abort(new CancelledError());
    else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: graceful.signal, forceSignal: force.signal };
}

async function makeContext(program: Command): Promise<Context> {
  const env = process.env;
  const options = globalOptions(program.opts<RawGlobals>(), env);
  const color = colorAllowed(options.ansi, env, Boolean(process.stdout.isTTY));
  const stderrColor = colorAllowed(options.ansi, env, Boolean(process.stderr.isTTY));
  const signals = wireSignals();
  // chalk only when there is colour to paint: most runs print into a pipe or a file.
  const warnColor = stderrColor ? new (await import('chalk')).Chalk({ level: 1 }).yellow : (text: string) => text;
  return {
    cwd: process.cwd(),
    env,
    // Made when first read: few commands read stdin, and making it sets up a stream on fd 0.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    ...signals,
    now: () => Date.now(),
    options,
    color,
    stderrColor,
    warn: (message: string) => process.stderr.write(`${warnColor('WARN')} ${message}\n`),
  };
}

/** Runs one command with the Context and maps whatever it throws to an exit code. */
function action<T extends unknown[]>(program: Command, run: (ctx: Context, ...args: T) => Promise<void>) {
  return async (...args: T): Promise<void> => {
    const ctx = await makeContext(program);
    await run(ctx, ...args);
  };
}

/** Colours for configuration problems on stderr, when `--ansi` / NO_COLOR / the terminal allow them. */
async function paintFor(stream: NodeJS.WriteStream, ansi: AnsiSetting): Promise<Paint | undefined> {
  if (!colorAllowed(ansi, process.env, Boolean(stream.isTTY))) return undefined;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return { location: chalk.cyan, path: chalk.bold, message: chalk.red, hint: chalk.green, dim: chalk.dim };
}

/** The `--ansi` setting an error is reported with: as parsed, else `auto` (the setting itself may be the error). */
function ansiForErrors(program: Command | undefined): AnsiSetting {
  try {
    return ansiSetting(program?.opts<RawGlobals>().ansi, process.env);
  } catch {
    return 'auto';
  }
}

/** The single error -> message + exit code policy. */
export async function reportError(error: unknown, ansi: AnsiSetting = 'auto'): Promise<number> {
  if (error instanceof ConfigError) {
    const { renderProblems } = await import('./render-problems.js');
    process.stderr.write(renderProblems(error.problems, error.sources, await paintFor(process.stderr, ansi), { cwd: process.cwd() }));
    return error.exitCode;
  }
  if (error instanceof CancelledError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ExitCodeError) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof TscomposeError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`internal error (this is a bug in tscompose; please report it with the output below)\n${stack}\n`);
  return 1;
}

export function buildProgram(): Command {
  const program = new Command('tscompose')
    .description('Define and run multi-container applications (Compose-compatible)')
    .version(version, '-v, --version', 'print the version and exit')
    .enablePositionalOptions()
    .showHelpAfterError("(run 'tscompose --help' for usage)")
    .exitOverride()
    .option('-f, --file <file>', 'compose configuration file (repeatable; "-" reads stdin)', collect)
    .option('-p, --project-name <name>', 'project name')
    .option('--project-directory <dir>', 'alternate working directory (default: the directory of the first file that is not "-")')
    .option('--profile <profile>', 'enable a profile (repeatable)', collect)
    .option('--env-file <file>', 'alternate environment file (repeatable)', collect)
    .option('--parallel <n>', 'maximum number of parallel engine operations (-1 = unlimited)', parsePositiveInt)
    .addOption(new Option('--progress <mode>', 'progress output').choices(['auto', 'tty', 'plain', 'quiet', 'json']))
    .addOption(new Option('--ansi <when>', 'control when to print ANSI control characters').choices(['never', 'always', 'auto']))
    .option('--dry-run', 'show what would be done without touching the engine');

  program
    .command('version')
    .description('show the tscompose version')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--short', 'print only the version number')
    .action(
      action(program, async (ctx, options: { format: string; short?: boolean }) => {
        if (options.short) ctx.stdout.write(`${version}\n`);
        else if (options.format === 'json') ctx.stdout.write(`${JSON.stringify({ version })}\n`);
        else ctx.stdout.write(`tscompose version ${version}\n`);
      }),
    );

  program
    .command('config')
    .alias('convert')
    .description('parse, resolve and render the compose file in canonical format')
    .argument('[services...]', 'only these services (and their dependencies)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('-q, --quiet', 'only validate the configuration, print nothing')
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--networks', 'print the network names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('--hash <services>', "print the config hash of these services (comma-separated, or '*' for all)")
    .option('--no-interpolate', "don't interpolate environment variables")
    .option('-o, --output <file>', 'save to this file instead of printing')
    .action(
      action(program, async (ctx, services: string[], options: ConfigOptions) => {
        const { configCommand } = await import('./commands/config.js');
        await configCommand(ctx, services, options);
      }),
    );

  program
    .command('build')
    .description('build or rebuild the images of services')
    .argument('[services...]', 'only these services')
    .option('--build-arg <key=value>', 'set a build-time variable (repeatable; KEY alone takes it from the environment)', collect)
    .option('--no-cache', 'do not use the build cache')
    .option('--pull', 'always try to pull newer versions of base images')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--with-dependencies', 'also build the images of the services they depend on')
    .action(
      action(program, async (ctx, services: string[], options: { buildArg?: string[]; cache?: boolean; pull?: boolean; quiet?: boolean; withDependencies?: boolean }) => {
        const { buildCommand } = await import('./commands/build.js');
        const buildOptions: BuildOptions = {
          buildArg: options.buildArg,
          noCache: options.cache === false,
          pull: options.pull,
          quiet: options.quiet,
          withDependencies: options.withDependencies,
        };
        await buildCommand(ctx, services, buildOptions);
      }),
    );

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
      action(program, async (ctx, services: string[], options: PullOptions) => {
        const { pullCommand } = await import('./commands/pull.js');
        await pullCommand(ctx, services, options);
      }),
    );

  program
    .command('ps')
    .description('list the containers of the project')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'also stopped and one-off containers')
    .option('-q, --quiet', 'only the container IDs')
    .option('--services', 'only the service names')
    .option('--status <status>', 'only containers in this state (repeatable): paused, restarting, removing, running, dead, created, exited', collect)
    .option('--filter <key=value>', 'filter by a property; only status=... is supported (repeatable)', collect)
    .option('--format <format>', 'table, json, or a template like {{.Name}}', 'table')
    .option('--no-trunc', "don't truncate IDs and commands")
    .option('--orphans [bool]', 'include containers of services the compose file no longer has', parseBoolean, true)
    .action(
      action(program, async (ctx, services: string[], options: PsOptions) => {
        const { psCommand } = await import('./commands/ps.js');
        await psCommand(ctx, services, options);
      }),
    );

  program
    .command('logs')
    .description('show the output of the containers')
    .argument('[services...]', 'only these services')
    .option('-f, --follow', 'keep following, including containers that start later')
    .option('-n, --tail <lines>', 'number of lines from the end of each container\'s log, or "all"', 'all')
    .option('--since <time>', 'only lines since a time (2024-01-02T15:04:05Z, Unix seconds) or a duration ago (42m)')
    .option('--until <time>', 'only lines before a time or a duration ago')
    .option('-t, --timestamps', 'show timestamps')
    .option('--no-color', 'monochrome output')
    .option('--no-log-prefix', "don't prefix lines with the container name")
    .option('--index <n>', 'the replica of the service to show', parsePositiveInt)
    .action(
      action(program, async (ctx, services: string[], options: LogsOptions) => {
        const { logsCommand } = await import('./commands/logs.js');
        await logsCommand(ctx, services, options);
      }),
    );

  registerLifecycleCommands(program);
  return program;
}

interface RawUpFlags {
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
}

/** up, down, start, stop, restart: the commands that change the engine (their modules load dockerode lazily). */
function registerLifecycleCommands(program: Command): void {
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
    .action(
      action(program, async (ctx, services: string[], raw: RawUpFlags) => {
        const options: UpOptions = {
          detach: raw.detach ?? false,
          build: flagGiven(program, '--build'),
          noBuild: flagGiven(program, '--no-build'),
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
        };
        const { upCommand } = await import('./commands/up.js');
        await upCommand(ctx, services, options);
      }),
    );

  program
    .command('watch')
    .description('start the services (up -d --build), then sync, rebuild, restart or reload them when their files change')
    .argument('[services...]', 'only these services')
    .option('--no-up', "don't build and start the services before watching")
    .option('--prune [bool]', 'remove the images that rebuilds replace (default true)', parseBoolean, true)
    .option('--quiet', 'hide the build output')
    .action(
      action(program, async (ctx, services: string[], raw: { up?: boolean; prune?: boolean; quiet?: boolean }) => {
        const { watchCommand } = await import('./commands/watch.js');
        await watchCommand(ctx, services, { noUp: raw.up === false, prune: raw.prune ?? true, quiet: raw.quiet ?? false });
      }),
    );

  program
    .command('down')
    .description('stop and remove containers, networks (and with -v volumes, with --rmi images)')
    .argument('[services...]', 'only these services')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('-v, --volumes', "remove the project's named volumes and the anonymous volumes of its containers")
    .option('--rmi <type>', 'remove images used by services: "local" (only those without a custom tag) or "all"')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .action(
      action(program, async (ctx, services: string[], raw: { removeOrphans?: boolean; volumes?: boolean; rmi?: string; timeout?: number }) => {
        const { downCommand } = await import('./commands/down.js');
        await downCommand(ctx, services, {
          ...(raw.removeOrphans === undefined ? {} : { removeOrphans: raw.removeOrphans }),
          volumes: raw.volumes ?? false,
          ...(raw.rmi === undefined ? {} : { rmi: raw.rmi }),
          ...(raw.timeout === undefined ? {} : { timeout: raw.timeout }),
        });
      }),
    );

  program
    .command('start')
    .description('start existing containers')
    .argument('[services...]', 'only these services (and their dependencies)')
    .action(
      action(program, async (ctx, services: string[]) => {
        const { startCommand } = await import('./commands/start.js');
        await startCommand(ctx, services);
      }),
    );

  program
    .command('stop')
    .description('stop running containers without removing them')
    .argument('[services...]', 'only these services')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .action(
      action(program, async (ctx, services: string[], raw: { timeout?: number }) => {
        const { stopCommand } = await import('./commands/stop.js');
        await stopCommand(ctx, services, raw.timeout === undefined ? {} : { timeout: raw.timeout });
      }),
    );

  program
    .command('restart')
    .description('restart containers (configuration changes are applied by up, not by restart)')
    .argument('[services...]', 'only these services (and their restart: true dependents)')
    .option('--no-deps', "don't restart dependent services")
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .action(
      action(program, async (ctx, services: string[], raw: { deps?: boolean; timeout?: number }) => {
        const { restartCommand } = await import('./commands/restart.js');
        await restartCommand(ctx, services, { noDeps: raw.deps === false, ...(raw.timeout === undefined ? {} : { timeout: raw.timeout }) });
      }),
    );
}

export async function main(argv: string[]): Promise<number> {
  // process.env is a host object whose every read crosses into C++; the yaml package reads
  // process.env.LOG_TOKENS once per token, which costs ~15% of parsing a large file. A plain copy
  // behaves the same for this process and for the children it spawns.
  process.env = { ...process.env };
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, ansiForErrors(program));
  }
}

// Run when executed as a script (also through the npm bin symlink).
const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith('/cli.js');
if (invokedDirectly) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    async (error: unknown) => {
      process.exitCode = await reportError(error, ansiForErrors(undefined));
    },
  );
}
