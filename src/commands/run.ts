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
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { toContainerSpec } from '../apply/container-spec.js';
import { containerFilesArchive } from '../apply/container-files.js';
import type { ContainerCreateRequest, Engine } from '../apply/engine.js';
import { ensureImages } from '../apply/images.js';
import { observe } from '../apply/observe.js';
import { waitFor, waitTimeoutSeconds, type WaitTarget } from '../apply/wait.js';
import { anySignal } from '../apply/abort-signals.js';
import type { Context } from '../context.js';
import { CancelledError, EngineError, ExitCodeError, UsageError } from '../errors.js';
import { sealedAppliedConfig } from '../model/applied-config.js';
import { canonicalServiceConfig, configHash } from '../model/hash.js';
import { containerLabels } from '../model/labels.js';
import { parsePortSpec } from '../model/ports.js';
import { shellSplitChecked } from '../model/shell-split.js';
import type { Mount, Port, Project, Service } from '../model/types.js';
import { shortMount } from '../model/volumes.js';
import { serviceImageReference } from '../plan/names.js';
import { containerNumber, containerService, isOneOff, type ObservedState } from '../plan/observed.js';
import { oneOffName, oneOffResourcesPlan, oneOffService } from '../plan/one-off.js';
import { applyPlan, loadTarget, withProgress } from './apply-plan.js';
import { openEngineSession, type EngineSession } from './engine-session.js';
import { isTerminal, resolveEnvironment } from './exec.js';
import { createProgress } from './output/create-progress.js';
import { bridgeTerminal } from './terminal-bridge.js';
import { toolVersion } from '../tool-version.js';
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

  const dependencies = options.noDeps ? [] : Object.keys(service.depends_on ?? {}).filter((name) => project.services[name] !== undefined);
  if (dependencies.length > 0) await startDependencies(ctx, dependencies, options);

  const session = await openEngineSession(ctx);
  try {
    const observed = await prepareResources(ctx, session, project, service, environment, options);
    if (!options.noDeps) await waitForConditions(ctx, session.engine, project, service, observed);
    if (ctx.options.dryRun) return;

    const slug = randomBytes(32).toString('hex');
    const name = oneOffName(project.name, serviceName, slug, options.name);
    const runService = oneOffService(service, overrides);
    const create = await oneOffRequest(ctx, session, project, runService, observed, environment, { name, slug, tty, options });
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

/** The service's image (pulled or built as `up` would), networks and volumes; returns the state after. */
async function prepareResources(
  ctx: Context,
  session: EngineSession,
  project: Project,
  service: Service,
  environment: Readonly<Record<string, string>>,
  options: RunCommandOptions,
): Promise<ObservedState> {
  const imageProgress = createProgress(ctx);
  await withProgress(imageProgress, () =>
    ensureImages(
      session.engine,
      project,
      {
        toolVersion: toolVersion(),
        services: [service.name],
        ...(options.build ? { build: true } : {}),
        ...(options.pull === undefined || options.pull === 'build' ? {} : { pull: options.pull as 'always' | 'missing' | 'never' }),
        quietPull: options.quietPull,
        dryRun: ctx.options.dryRun,
        signal: anySignal([ctx.signal, ctx.forceSignal]),
        warn: (message) => ctx.warn(message),
      },
      imageProgress,
    ),
  );
  const observed = await observe(session.engine, project, { signal: ctx.forceSignal });
  const plan = oneOffResourcesPlan(project, observed, service, { toolVersion: toolVersion(), sealKey: session.sealKey });
  if (plan.nodes.length === 0) return observed;
  const progress = createProgress(ctx);
  await withProgress(progress, async () => {
    if (!ctx.options.dryRun) await session.lock(project.name, 'run');
    await applyPlan(ctx, session, plan, progress, { project, observed, environment });
    session.unlock();
  });
  return observe(session.engine, project, { signal: ctx.forceSignal });
}

/** The service's `service_healthy` and `service_completed_successfully` dependencies must hold before it runs. */
async function waitForConditions(ctx: Context, engine: Engine, project: Project, service: Service, observed: ObservedState): Promise<void> {
  const targets: WaitTarget[] = [];
  for (const [dependency, entry] of Object.entries(service.depends_on ?? {})) {
    if (entry.condition === 'service_started' || project.services[dependency] === undefined) continue;
    const containers = observed.containers
      .filter((container) => containerService(container) === dependency && !isOneOff(container))
      .map((container) => ({ id: container.id, name: container.name }));
    if (containers.length > 0) targets.push({ service: dependency, condition: entry.condition, containers });
  }
  if (targets.length === 0 || ctx.options.dryRun) return;
  const progress = createProgress(ctx);
  await withProgress(progress, () =>
    waitFor(engine, targets, {
      timeoutSeconds: waitTimeoutSeconds(undefined, ctx.env),
      signal: anySignal([ctx.signal, ctx.forceSignal]),
      progress,
      describeTimeout: (seconds) => `the dependencies of "${service.name}" did not become ready within ${seconds}s`,
    }),
  );
}

interface OneOffIdentity {
  readonly name: string;
  readonly slug: string;
  readonly tty: boolean;
  readonly options: RunCommandOptions;
}

interface OneOffRequest {
  readonly request: ContainerCreateRequest;
  readonly connect: ReturnType<typeof toContainerSpec>['connect'];
  readonly files: ReturnType<typeof toContainerSpec>['files'];
}

async function oneOffRequest(
  ctx: Context,
  session: EngineSession,
  project: Project,
  service: Service,
  observed: ObservedState,
  environment: Readonly<Record<string, string>>,
  identity: OneOffIdentity,
): Promise<OneOffRequest> {
  const canonical = canonicalServiceConfig(service, project);
  const image = await session.engine.inspectImage(serviceImageReference(project.name, service), { signal: ctx.forceSignal });
  const labels = containerLabels({
    project,
    service,
    number: 1,
    configHash: configHash(canonical),
    appliedConfig: { text: sealedAppliedConfig('service', canonical, session.sealKey), keyId: session.sealKey.id },
    toolVersion: toolVersion(),
    oneoff: true,
    slug: identity.slug,
    ...(image === undefined ? {} : { imageId: image.id }),
  });
  const spec = toContainerSpec({
    project,
    service,
    number: 1,
    name: identity.name,
    finalName: identity.name,
    labels,
    env: environment,
    containersOf: (name) =>
      observed.containers
        .filter((container) => containerService(container) === name && !isOneOff(container))
        .sort((a, b) => (containerNumber(a) ?? 0) - (containerNumber(b) ?? 0))
        .map((container) => container.name),
    useNetworkAliases: identity.options.useAliases,
    readFile: (path) => readFileSync(path, 'utf8'),
  });
  for (const message of spec.warnings) ctx.warn(message);
  const attachStdin = identity.options.interactive && !identity.options.detach;
  const config = spec.create.config;
  const request: ContainerCreateRequest = {
    ...spec.create,
    config: {
      ...config,
      Tty: identity.tty,
      OpenStdin: identity.options.interactive,
      AttachStdin: attachStdin,
      // The container's stdin closes with ours (`echo x | tscompose run -T web cat`).
      StdinOnce: attachStdin,
      HostConfig: {
        ...config.HostConfig,
        ...(identity.options.rm ? { AutoRemove: true, RestartPolicy: { Name: 'no' } } : {}),
      },
    },
  };
  return { request, connect: spec.connect, files: spec.files };
}

/** Create, connect, start; attached: bridge the terminal and return the exit code; detached: print the id. */
async function runOneOff(
  ctx: Context,
  engine: Engine,
  prepared: OneOffRequest,
  run: { tty: boolean; options: RunCommandOptions },
): Promise<void> {
  const { options, tty } = run;
  const call = { signal: ctx.forceSignal };
  const id = await engine.createContainer(prepared.request, call);
  let started = false;
  try {
    for (const connection of prepared.connect) await engine.connectNetwork(connection.network, id, connection.endpoint, call);
    if (prepared.files.length > 0) await engine.putArchive(id, '/', await containerFilesArchive(prepared.files), call);
    if (options.detach) {
      await engine.startContainer(id, call);
      started = true;
      ctx.stdout.write(`${id}\n`);
      return;
    }
    const stdin = options.interactive;
    const streams = await engine.attachStreams(id, { tty, stdin, signal: ctx.forceSignal });
    // Registered before the start: a --rm container may be gone by the time a later wait asks.
    const exited = engine.waitContainer(id, { condition: options.rm ? 'removed' : 'next-exit' });
    exited.catch(() => undefined);
    const forward = (): void => void engine.killContainer(id, { killSignal: 'SIGINT' }).catch(() => undefined);
    const kill = (): void => void engine.killContainer(id, { killSignal: 'SIGKILL' }).catch(() => undefined);
    ctx.signal.addEventListener('abort', forward, { once: true });
    ctx.forceSignal.addEventListener('abort', kill, { once: true });
    try {
      await engine.startContainer(id, call);
      started = true;
      await bridgeTerminal(ctx, streams, { tty, stdin });
      const exitCode = await exited;
      if (exitCode !== 0) throw new ExitCodeError(exitCode);
    } finally {
      ctx.signal.removeEventListener('abort', forward);
      ctx.forceSignal.removeEventListener('abort', kill);
      streams.close();
    }
  } catch (error) {
    if (error instanceof CancelledError && started) throw new ExitCodeError(130);
    throw error;
  } finally {
    // A --rm container that never ran is not removed by the engine.
    if (options.rm && !started) await engine.removeContainer(id, { force: true, volumes: true }).catch(ignoreGone);
  }
}

function ignoreGone(error: unknown): void {
  if (error instanceof EngineError && error.kind === 'not-found') return;
}
