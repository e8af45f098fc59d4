/**
 * `tscompose run SERVICE [COMMAND...]`: a one-off container of the service (plan/one-off.ts says
 * what it is made of). Its dependencies are brought up first, as `up -d` would (unless
 * `--no-deps`), and their `service_healthy` / `service_completed_successfully` conditions are
 * waited on; the service's networks and volumes are created; then the container is created,
 * attached to before it starts (no output is lost), and its exit code is tscompose's.
 *
 * Ctrl-C: with a TTY it is a key the process gets. Without one, the first SIGINT is passed on to
 * the container, the second kills it. `--rm` containers are removed by the engine when they exit,
 * and by tscompose when they never started, so nothing is left behind either way.
 */
import { homedir } from 'node:os';
import type { Engine } from '../apply/engine.js';
import {
  createOneOff,
  oneOffDependencies,
  oneOffRequest,
  prepareOneOff,
  removeUnstarted,
  startAttached,
  type OneOffRequest,
  type OneOffRun,
} from '../api/run-one-off.js';
import type { Context } from '../context.js';
import { CancelledError, ExitCodeError, UsageError } from '../errors.js';
import { parsePortSpec } from '../model/ports.js';
import { shellSplitChecked } from '../model/shell-split.js';
import type { Mount, Port, Project } from '../model/types.js';
import { shortMount } from '../model/volumes.js';
import { oneOffService } from '../plan/one-off.js';
import { loadTarget, planText } from './apply-plan.js';
import { convergeRunOf } from './converge-project.js';
import { openEngineSession } from './engine-session.js';
import { isTerminal, resolveEnvironment } from './exec.js';
import { bridgeTerminal } from './terminal-bridge.js';
import { upOptionsFrom } from './up-command.js';

export interface RunCommandOptions {
  readonly rm: boolean;
  readonly detach: boolean;
  readonly env: readonly string[];
  readonly entrypoint?: string;
  readonly name?: string;
  readonly noDeps: boolean;
  readonly publish: readonly string[];
  readonly servicePorts: boolean;
  readonly useAliases: boolean;
  readonly user?: string;
  readonly volume: readonly string[];
  readonly workdir?: string;
  readonly noTty: boolean;
  readonly interactive: boolean;
  readonly build: boolean;
  readonly pull?: string;
  readonly label: readonly string[];
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly removeOrphans?: boolean;
  readonly quietPull: boolean;
}

export async function runCommand(ctx: Context, serviceName: string, command: readonly string[], options: RunCommandOptions): Promise<void> {
  const { project, environment } = await loadTarget(ctx, [serviceName]);
  const service = project.services[serviceName];
  if (service === undefined) throw new UsageError(`no such service: ${serviceName}`);
  const tty = !options.noTty && !options.detach && isTerminal(ctx.stdin) && isTerminal(ctx.stdout);
  const overrides = commandLineOverrides(ctx, project, command, options, tty);

  const dependencies = oneOffDependencies(project, service, options.noDeps);
  if (dependencies.length > 0) await startDependencies(ctx, dependencies, options);

  const session = await openEngineSession(ctx);
  try {
    const run: OneOffRun = {
      ...convergeRunOf(ctx, session, { project, environment }),
      session,
      onPlan: (planned) => {
        if (ctx.options.dryRun) ctx.stdout.write(planText(planned));
      },
    };
    const images = {
      ...(options.build ? { build: true } : {}),
      ...(options.pull === undefined || options.pull === 'build' ? {} : { pull: options.pull as 'always' | 'missing' | 'never' }),
      quietPull: options.quietPull,
    };
    const observed = await prepareOneOff(run, service, { images, noDeps: options.noDeps });
    if (ctx.options.dryRun) return;

    const create = await oneOffRequest(run, oneOffService(service, overrides), observed, {
      ...(options.name === undefined ? {} : { name: options.name }),
      tty,
      interactive: options.interactive,
      attachStdin: options.interactive && !options.detach,
      rm: options.rm,
      useAliases: options.useAliases,
    });
    await runOneOff(ctx, session.engine, create, { tty, options });
  } finally {
    session.close();
  }
}

/** Everything the command line changes in the service, checked (bad ports, volumes, entrypoint). */
function commandLineOverrides(ctx: Context, project: Project, command: readonly string[], options: RunCommandOptions, tty: boolean) {
  const publish: Port[] = options.publish.flatMap((spec) => {
    const ports = parsePortSpec(spec);
    if (ports.length === 0) throw new UsageError(`invalid port "${spec}" for -p: use [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`);
    return ports;
  });
  const volumes: Mount[] = options.volume.map((spec) => {
    const mount = shortMount(spec, { workingDir: project.workingDir, home: ctx.env.HOME ?? homedir() });
    if (mount === undefined) throw new UsageError(`invalid volume "${spec}" for -v: use SOURCE:TARGET[:MODE]`);
    return mount;
  });
  let entrypoint: string[] | undefined;
  if (options.entrypoint !== undefined) {
    const split = shellSplitChecked(options.entrypoint);
    if ('error' in split) throw new UsageError(`invalid --entrypoint "${options.entrypoint}": ${split.error}`);
    entrypoint = split.words;
  }
  const environment: Record<string, string> = {};
  for (const entry of resolveEnvironment(options.env, ctx.env)) {
    const equals = entry.indexOf('=');
    environment[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  const labels: Record<string, string> = {};
  for (const entry of options.label) {
    const equals = entry.indexOf('=');
    labels[equals < 0 ? entry : entry.slice(0, equals)] = equals < 0 ? '' : entry.slice(equals + 1);
  }
  return {
    command,
    ...(entrypoint === undefined ? {} : { entrypoint }),
    environment,
    labels,
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.workdir === undefined ? {} : { workingDir: options.workdir }),
    servicePorts: options.servicePorts,
    publish,
    volumes,
    capAdd: options.capAdd,
    capDrop: options.capDrop,
    tty,
    interactive: options.interactive,
  };
}

/** `up -d` of the service's dependencies, with their progress, as Compose shows it. */
async function startDependencies(ctx: Context, dependencies: readonly string[], options: RunCommandOptions): Promise<void> {
  const { upCommand } = await import('./up.js');
  const up = upOptionsFrom({
    detach: true,
    quietPull: options.quietPull,
    ...(options.pull === undefined ? {} : { pull: options.pull }),
    ...(options.removeOrphans === undefined ? {} : { removeOrphans: options.removeOrphans }),
  });
  await upCommand(ctx, dependencies, up);
}

/** Create, connect, start; attached: bridge the terminal and return the exit code; detached: print the id. */
async function runOneOff(ctx: Context, engine: Engine, prepared: OneOffRequest, run: { tty: boolean; options: RunCommandOptions }): Promise<void> {
  const { options, tty } = run;
  const id = await createOneOff(engine, prepared, { rm: options.rm, forceSignal: ctx.forceSignal });
  if (options.detach) {
    try {
      await engine.startContainer(id, { signal: ctx.forceSignal });
    } catch (error) {
      await removeUnstarted(engine, id, options.rm);
      throw error;
    }
    ctx.stdout.write(`${id}\n`);
    return;
  }
  const stdin = options.interactive;
  let started = false;
  try {
    const exitCode = await startAttached(
      engine,
      id,
      { tty, stdin, rm: options.rm, forceSignal: ctx.forceSignal, interrupt: ctx.signal, onStarted: () => (started = true) },
      (streams) => bridgeTerminal(ctx, streams, { tty, stdin }),
    );
    if (exitCode !== 0) throw new ExitCodeError(exitCode);
  } catch (error) {
    if (error instanceof CancelledError && started) throw new ExitCodeError(130);
    throw error;
  }
}
