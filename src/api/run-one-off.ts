/**
 * The engine steps of a one-off container (`run`), shared by the CLI's `run` and the API's
 * `project.run`, with plain inputs: the service's image (pulled or built as `up` would), networks
 * and volumes, the `service_healthy` / `service_completed_successfully` conditions of its
 * dependencies, then the container (named and labelled as Compose does: `<project>-<service>-run-
 * <slug>`, `com.docker.compose.oneoff=True`) created, started and waited for. Starting the
 * dependencies themselves is the caller's (the CLI shows them as `up -d` does; the API converges
 * them). What is done with the container's streams is the caller's too: a terminal, or captured.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { anySignal } from '../apply/abort-signals.js';
import { containerFilesArchive } from '../apply/container-files.js';
import { toContainerSpec } from '../apply/container-spec.js';
import type { ContainerCreateRequest, Engine, ProcessStreams } from '../apply/engine.js';
import { ensureImages } from '../apply/images.js';
import { observe } from '../apply/observe.js';
import { withProgress } from '../apply/progress.js';
import { waitFor, waitTimeoutSeconds, type WaitTarget } from '../apply/wait.js';
import { EngineError } from '../errors.js';
import { sealedAppliedConfig } from '../model/applied-config.js';
import { canonicalServiceConfig, configHash } from '../model/hash.js';
import { containerLabels } from '../model/labels.js';
import type { Project, Service } from '../model/types.js';
import { serviceImageReference } from '../plan/names.js';
import { containerNumber, containerService, isOneOff, type ObservedState } from '../plan/observed.js';
import { oneOffName, oneOffResourcesPlan } from '../plan/one-off.js';
import type { Plan } from '../plan/plan.js';
import { toolVersion } from '../tool-version.js';
import type { ConvergeRun } from './converge.js';
import type { EngineSession } from './engine-session.js';
import { runPlan } from './run-plan.js';

/** Where a one-off runs: a converge's inputs, the session's lock, and who is told the resources' plan. */
export interface OneOffRun extends Omit<ConvergeRun, 'engine' | 'sealKey'> {
  readonly session: EngineSession;
  readonly onPlan?: (plan: Plan) => void;
}

/** `--build`, `--pull`, `--quiet-pull`. */
export interface OneOffImages {
  readonly build?: boolean;
  readonly pull?: 'always' | 'missing' | 'never';
  readonly quietPull?: boolean;
}

/** The services `run` starts first: the service's dependencies that are enabled, none with `noDeps`. */
export function oneOffDependencies(project: Project, service: Service, noDeps: boolean): string[] {
  return noDeps ? [] : Object.keys(service.depends_on ?? {}).filter((name) => project.services[name] !== undefined);
}

/** The image, networks and volumes, then (unless `noDeps`) the dependencies' conditions; returns the state after. */
export async function prepareOneOff(run: OneOffRun, service: Service, options: { readonly images: OneOffImages; readonly noDeps: boolean }): Promise<ObservedState> {
  const observed = await prepareResources(run, service, options.images);
  if (!options.noDeps) await waitForConditions(run, service, observed);
  return observed;
}

async function prepareResources(run: OneOffRun, service: Service, images: OneOffImages): Promise<ObservedState> {
  const { session, project } = run;
  const imageProgress = run.progress();
  await withProgress(imageProgress, () =>
    ensureImages(
      session.engine,
      project,
      {
        toolVersion: toolVersion(),
        services: [service.name],
        ...(images.build ? { build: true } : {}),
        ...(images.pull === undefined ? {} : { pull: images.pull }),
        quietPull: images.quietPull ?? false,
        dryRun: run.dryRun ?? false,
        signal: run.imageSignal ?? anySignal([run.signal, run.forceSignal]),
        warn: run.warn,
      },
      imageProgress,
    ),
  );
  const observed = await observe(session.engine, project, { signal: run.forceSignal });
  const plan = oneOffResourcesPlan(project, observed, service, { toolVersion: toolVersion(), sealKey: session.sealKey });
  if (plan.nodes.length === 0) return observed;
  const progress = run.progress();
  await withProgress(progress, async () => {
    if (!run.dryRun) await session.lock(project.name, 'run');
    await runPlan(
      plan,
      { engine: session.engine, progress, signal: run.signal, forceSignal: run.forceSignal, warn: run.warn, dryRun: run.dryRun ?? false, ...(run.parallel === undefined ? {} : { parallel: run.parallel }) },
      { project, observed, environment: run.environment, replan: true, ...(run.onPlan ? { onPlan: run.onPlan } : {}) },
    );
    session.unlock();
  });
  return observe(session.engine, project, { signal: run.forceSignal });
}

/** The service's `service_healthy` and `service_completed_successfully` dependencies must hold before it runs. */
async function waitForConditions(run: OneOffRun, service: Service, observed: ObservedState): Promise<void> {
  const targets: WaitTarget[] = [];
  for (const [dependency, entry] of Object.entries(service.depends_on ?? {})) {
    if (entry.condition === 'service_started' || run.project.services[dependency] === undefined) continue;
    const containers = observed.containers
      .filter((container) => containerService(container) === dependency && !isOneOff(container))
      .map((container) => ({ id: container.id, name: container.name }));
    if (containers.length > 0) targets.push({ service: dependency, condition: entry.condition, containers });
  }
  if (targets.length === 0 || run.dryRun) return;
  const progress = run.progress();
  await withProgress(progress, () =>
    waitFor(run.session.engine, targets, {
      timeoutSeconds: waitTimeoutSeconds(undefined, run.env ?? {}),
      signal: anySignal([run.signal, run.forceSignal]),
      progress,
      describeTimeout: (seconds) => `the dependencies of "${service.name}" did not become ready within ${seconds}s`,
    }),
  );
}

/** How the container is made: its name (default: Compose's), terminal and stdin, removal, aliases. */
export interface OneOffIdentity {
  readonly name?: string;
  readonly tty: boolean;
  /** Keep stdin open (`-i`). */
  readonly interactive: boolean;
  /** Attach to stdin (interactive and not detached). */
  readonly attachStdin: boolean;
  readonly rm: boolean;
  readonly useAliases: boolean;
}

export interface OneOffRequest {
  readonly request: ContainerCreateRequest;
  readonly connect: ReturnType<typeof toContainerSpec>['connect'];
  readonly files: ReturnType<typeof toContainerSpec>['files'];
}

/** The create request of the one-off container of `service` (the command line's overrides already applied). */
export async function oneOffRequest(run: OneOffRun, service: Service, observed: ObservedState, identity: OneOffIdentity): Promise<OneOffRequest> {
  const { project, session } = run;
  const slug = randomBytes(32).toString('hex');
  const name = oneOffName(project.name, service.name, slug, identity.name);
  const canonical = canonicalServiceConfig(service, project);
  const image = await session.engine.inspectImage(serviceImageReference(project.name, service), { signal: run.forceSignal });
  const labels = containerLabels({
    project,
    service,
    number: 1,
    configHash: configHash(canonical),
    appliedConfig: { text: sealedAppliedConfig('service', canonical, session.sealKey), keyId: session.sealKey.id },
    toolVersion: toolVersion(),
    oneoff: true,
    slug,
    ...(image === undefined ? {} : { imageId: image.id }),
  });
  const spec = toContainerSpec({
    project,
    service,
    number: 1,
    name,
    finalName: name,
    labels,
    env: run.environment,
    containersOf: (dependency) =>
      observed.containers
        .filter((container) => containerService(container) === dependency && !isOneOff(container))
        .sort((a, b) => (containerNumber(a) ?? 0) - (containerNumber(b) ?? 0))
        .map((container) => container.name),
    useNetworkAliases: identity.useAliases,
    readFile: (path) => readFileSync(path, 'utf8'),
  });
  for (const message of spec.warnings) run.warn(message);
  const config = spec.create.config;
  const request: ContainerCreateRequest = {
    ...spec.create,
    config: {
      ...config,
      Tty: identity.tty,
      OpenStdin: identity.interactive,
      AttachStdin: identity.attachStdin,
      // The container's stdin closes with ours (`echo x | tscompose run -T web cat`).
      StdinOnce: identity.attachStdin,
      HostConfig: {
        ...config.HostConfig,
        ...(identity.rm ? { AutoRemove: true, RestartPolicy: { Name: 'no' } } : {}),
      },
    },
  };
  return { request, connect: spec.connect, files: spec.files };
}

/** Creates the container, connects its other networks and copies its files in; returns its id. */
export async function createOneOff(engine: Engine, prepared: OneOffRequest, options: { readonly rm: boolean; readonly forceSignal: AbortSignal }): Promise<string> {
  const call = { signal: options.forceSignal };
  const id = await engine.createContainer(prepared.request, call);
  try {
    for (const connection of prepared.connect) await engine.connectNetwork(connection.network, id, connection.endpoint, call);
    if (prepared.files.length > 0) await engine.putArchive(id, '/', await containerFilesArchive(prepared.files), call);
  } catch (error) {
    await removeUnstarted(engine, id, options.rm);
    throw error;
  }
  return id;
}

/** A --rm container that never ran is not removed by the engine: remove it here. */
export async function removeUnstarted(engine: Engine, id: string, rm: boolean): Promise<void> {
  if (rm) await engine.removeContainer(id, { force: true, volumes: true }).catch(ignoreGone);
}

export interface AttachedRun {
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly rm: boolean;
  /** Aborts engine calls in flight, and kills the container unless `kill` is given. */
  readonly forceSignal: AbortSignal;
  /** Passes SIGINT on to the container. */
  readonly interrupt: AbortSignal;
  /** Kills the container (default: `forceSignal`). */
  readonly kill?: AbortSignal;
  /** Called once the container started (a later cancellation is then the container's exit). */
  readonly onStarted?: () => void;
}

/**
 * Attaches to the created container before it starts (no output is lost), starts it, hands its
 * streams to `consume`, and returns its exit code. A `rm` container is removed by the engine when
 * it exits, and here when it never started, so nothing is left behind either way.
 */
export async function startAttached(engine: Engine, id: string, run: AttachedRun, consume: (streams: ProcessStreams) => Promise<void>): Promise<number> {
  let started = false;
  try {
    const streams = await engine.attachStreams(id, { tty: run.tty, stdin: run.stdin, signal: run.forceSignal });
    // Registered before the start: a --rm container may be gone by the time a later wait asks.
    const exited = engine.waitContainer(id, { condition: run.rm ? 'removed' : 'next-exit' });
    exited.catch(() => undefined);
    const forward = (): void => void engine.killContainer(id, { killSignal: 'SIGINT' }).catch(() => undefined);
    const kill = (): void => void engine.killContainer(id, { killSignal: 'SIGKILL' }).catch(() => undefined);
    run.interrupt.addEventListener('abort', forward, { once: true });
    const killSignal = run.kill ?? run.forceSignal;
    killSignal.addEventListener('abort', kill, { once: true });
    try {
      await engine.startContainer(id, { signal: run.forceSignal });
      started = true;
      run.onStarted?.();
      await consume(streams);
      return await exited;
    } finally {
      run.interrupt.removeEventListener('abort', forward);
      killSignal.removeEventListener('abort', kill);
      streams.close();
    }
  } finally {
    if (!started) await removeUnstarted(engine, id, run.rm);
  }
}

function ignoreGone(error: unknown): void {
  if (error instanceof EngineError && error.kind === 'not-found') return;
}
