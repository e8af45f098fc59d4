/**
 * `tscompose up`: images -> observe -> plan -> execute, then optionally `--wait`. Detached only
 * here; attached mode is `runAttached` (up-attached.ts), which drives the same converge step.
 *
 * Flags and their conflicts follow Docker Compose (the texts are Compose's). A run holds the
 * project's lock; a name conflict with a concurrent run from elsewhere re-observes and re-plans.
 */
import { abortableSleep, anySignal } from '../apply/abort-signals.js';
import { ensureImages } from '../apply/images.js';
import { observe } from '../apply/observe.js';
import type { BeforeStartHook } from '../apply/operations.js';
import { done, type ProgressReporter } from '../apply/progress.js';
import { waitFor, waitTimeoutSeconds, type WaitTarget } from '../apply/wait.js';
import type { Context } from '../context.js';
import { CancelledError, UsageError } from '../errors.js';
import { isProjectContainer } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { serviceGraph } from '../plan/graph.js';
import { containerService, isActive, isOneOff, type ObservedState } from '../plan/observed.js';
import type { Plan } from '../plan/plan.js';
import { divergedVolumes } from '../plan/networks-and-volumes.js';
import { reconcile, type ReconcileOptions } from '../plan/reconcile.js';
import { desiredScale } from '../plan/service-needs.js';
import { executionError } from '../apply/execution-summary.js';
import { applyPlan, loadTarget, truthy, withProgress, type LoadedTarget } from './apply-plan.js';
import { confirmVolumeRecreation } from './confirm-volumes.js';
import { openEngineSession, type EngineSession } from './engine-session.js';
import { createProgress, progressMode } from './output/create-progress.js';
import type { AttachedOptions, AttachFlags } from './up-attached.js';
import { toolVersion } from './tool-version.js';
import { MAX_REPLICAS } from '../validate/rules/replica-limit.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

export interface UpOptions extends AttachFlags {
  readonly detach: boolean;
  readonly build: boolean;
  readonly noBuild: boolean;
  readonly pull?: string;
  readonly quietPull: boolean;
  /** No builder output at all, not even its steps in the progress view (`watch --quiet`). */
  readonly quietBuild?: boolean;
  /** undefined when the flag was not given (COMPOSE_REMOVE_ORPHANS decides). */
  readonly removeOrphans?: boolean;
  /** `SERVICE=NUM` entries. */
  readonly scale: readonly string[];
  readonly forceRecreate: boolean;
  readonly noRecreate: boolean;
  readonly alwaysRecreateDeps: boolean;
  readonly renewAnonVolumes: boolean;
  readonly noStart: boolean;
  readonly noDeps: boolean;
  readonly timeout?: number;
  readonly wait: boolean;
  readonly waitTimeout?: number;
  /** `-y, --yes`: recreate the volumes whose definition changed without asking (their data is lost). */
  readonly yes?: boolean;
  /** `-w, --watch`: once converged, watch files (see commands/watch.ts). */
  readonly watch?: boolean;
  /** `--explain`: print the plan in words (why each container is created, recreated, started) before running it. */
  readonly explain?: boolean;
}

/** A re-plan after a concurrent run's name conflict happens at most this many times. */
const MAX_PLAN_ROUNDS = 8;
/** Runs that meet each other re-plan after a random pause, so they stop meeting at the same step. */
const REPLAN_PAUSE_MS = [100, 600] as const;
/** `--pull` values Compose 2.26 accepts (its default, "policy", is not one of them). */
const PULL_OPTIONS: readonly string[] = ['always', 'missing', 'never', 'build'];

/** Compose's flag rules (cmd/compose/up.go), with its messages. Returns the effective detach/abort. */
export function validateUpFlags(options: UpOptions): { detach: boolean; abortOnContainerExit: boolean } {
  if (options.abortOnContainerExit && options.abortOnContainerFailure) {
    throw new UsageError('--abort-on-container-failure cannot be combined with --abort-on-container-exit');
  }
  const abort = options.abortOnContainerExit || options.abortOnContainerFailure || options.exitCodeFrom !== undefined;
  let detach = options.detach;
  const attaching = options.attach.length > 0 || options.attachDependencies;
  if (options.wait) {
    if (attaching || abort) throw new UsageError('--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies');
    detach = true;
  }
  if (options.build && options.noBuild) throw new UsageError('--build and --no-build are incompatible');
  if (detach && (attaching || abort)) {
    throw new UsageError('--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies');
  }
  if (options.renewAnonVolumes && options.noRecreate) throw new UsageError('--no-recreate and --renew-anon-volumes are incompatible');
  if (options.forceRecreate && options.noRecreate) throw new UsageError('--force-recreate and --no-recreate are incompatible');
  if (options.alwaysRecreateDeps && options.noRecreate) throw new UsageError('--always-recreate-deps and --no-recreate are incompatible');
  if (options.pull !== undefined && !PULL_OPTIONS.includes(options.pull)) {
    throw new UsageError(`invalid --pull option "${options.pull}"`);
  }
  parseScale(options.scale);
  return { detach, abortOnContainerExit: abort };
}

export function parseScale(entries: readonly string[]): Record<string, number> {
  const scale: Record<string, number> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator <= 0) throw new UsageError(`invalid --scale option "${entry}". Should be SERVICE=NUM`);
    const value = entry.slice(separator + 1);
    if (!/^[0-9]+$/.test(value)) throw new UsageError(`invalid --scale option "${entry}": NUM must be a whole number`);
    // The file's own bound (validate/rules/replica-limit.ts) holds on the command line too.
    if (Number(value) > MAX_REPLICAS) {
      throw new UsageError(`invalid --scale option "${entry}": tscompose runs at most ${MAX_REPLICAS} containers for one service`);
    }
    scale[entry.slice(0, separator)] = Number(value);
  }
  return scale;
}

export async function upCommand(ctx: Context, services: readonly string[], options: UpOptions): Promise<void> {
  const { detach, abortOnContainerExit } = validateUpFlags(options);
  const target = await loadTarget(ctx, services);
  const { project } = target;
  const ignoreOrphans = truthy(target.environment.COMPOSE_IGNORE_ORPHANS);
  const removeOrphans = options.removeOrphans ?? truthy(ctx.env.COMPOSE_REMOVE_ORPHANS);
  if (ignoreOrphans && removeOrphans) throw new UsageError('cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans');
  if (options.exitCodeFrom !== undefined && project.services[options.exitCodeFrom] === undefined) {
    throw new UsageError(noSuchServiceMessage([options.exitCodeFrom], Object.keys(project.services)));
  }

  // --watch: the watch configuration is checked before anything starts.
  const watch = options.watch
    ? await (await import('./watch.js')).prepareUpWatch(ctx, services, { noBuild: options.noBuild, scale: parseScale(options.scale), noDeps: options.noDeps, quiet: options.quietPull })
    : undefined;
  const session = await openEngineSession(ctx);
  try {
    const converge = (hooks: { beforeStart?: BeforeStartHook }): Promise<void> =>
      convergeProject(ctx, session, target, services, { ...options, removeOrphans }, ignoreOrphans, hooks);
    const attached = !detach && !options.noStart && !ctx.options.dryRun;
    if (attached) {
      const { runAttached } = await import('./up-attached.js');
      const attachedOptions: AttachedOptions = {
        ...options,
        // --exit-code-from implies it, unless --abort-on-container-failure was asked for.
        abortOnContainerExit: abortOnContainerExit && !options.abortOnContainerFailure,
        ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
      };
      const convergeThenWatch = async (hooks: { beforeStart?: BeforeStartHook }): Promise<void> => {
        await converge(hooks);
        await watch?.startAlongside(session);
      };
      try {
        await runAttached(ctx, { session, project, services, options: attachedOptions, converge: convergeThenWatch });
      } finally {
        await watch?.stop();
      }
      return;
    }
    await converge({});
  } finally {
    session.close();
  }
  // Detached: watch after up's session (and its lock) is released; ends with Ctrl-C.
  await watch?.runUntilInterrupted();
}

/** The services a run converges: the named ones (or all) plus their dependencies unless --no-deps. */
function targetServices(project: Project, services: readonly string[], noDeps: boolean): string[] {
  const graph = serviceGraph(project.services);
  const named = services.length > 0 ? [...services] : graph.services;
  return noDeps ? named.filter((name) => graph.has(name)) : graph.withDependencies(named);
}

async function convergeProject(
  ctx: Context,
  session: EngineSession,
  target: LoadedTarget,
  services: readonly string[],
  options: UpOptions & { removeOrphans: boolean },
  ignoreOrphans: boolean,
  hooks: { beforeStart?: BeforeStartHook },
): Promise<void> {
  const { project, environment } = target;
  const { engine } = session;
  const scale = parseScale(options.scale);
  const targets = targetServices(project, services, options.noDeps);
  const reconcileOptions: ReconcileOptions = {
    toolVersion: toolVersion(),
    sealKey: session.sealKey,
    services,
    noDeps: options.noDeps,
    recreate: options.forceRecreate ? 'force' : options.noRecreate ? 'never' : 'diverged',
    recreateDependencies: options.alwaysRecreateDeps ? 'force' : options.noRecreate ? 'never' : 'diverged',
    removeOrphans: options.removeOrphans,
    scale,
    renewAnonVolumes: options.renewAnonVolumes,
    noStart: options.noStart,
    ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
    ...(options.waitTimeout === undefined ? {} : { waitTimeoutSeconds: options.waitTimeout }),
  };

  if (!ctx.options.dryRun) await session.lock(project.name, 'up');
  // The image step has its own progress view (a terminal view lays out its resources once).
  const imageProgress = createProgress(ctx);
  const ensured = await withProgress(imageProgress, () =>
    ensureImages(
      engine,
      project,
      {
        toolVersion: toolVersion(),
        services: targets.filter((name) => desiredScale(project.services[name], scale) > 0),
        // `--pull build` makes every service with a build section build, as `pull_policy: build` does.
        ...(options.pull === 'build' ? { build: true } : options.pull === undefined ? {} : { pull: options.pull as 'always' | 'missing' | 'never' }),
        ...(options.build ? { build: true } : {}),
        noBuild: options.noBuild,
        quietPull: options.quietPull,
        ...(options.quietBuild ? { onBuildOutput: () => undefined } : {}),
        ...(progressMode(ctx) === 'json' ? { buildStepEvents: true } : {}),
        environment,
        dryRun: ctx.options.dryRun,
        // A build or pull leaves nothing half-done behind: the first Ctrl-C ends it.
        signal: anySignal([ctx.signal, ctx.forceSignal]),
        warn: (message) => ctx.warn(message),
        ...(ctx.options.parallel === undefined ? {} : { parallel: ctx.options.parallel }),
      },
      imageProgress,
    ),
  );

  // A volume whose definition changed is recreated only when the user confirms it (P18): asked
  // before the progress view draws, once per run (a re-plan keeps the answers).
  let observed = await observe(engine, project, { signal: ctx.forceSignal }, ensured.images);
  const diverged = divergedVolumes(project, observed, targets.map((name) => project.services[name]), session.sealKey);
  const recreateVolumes = await confirmVolumeRecreation(ctx, diverged, options.yes ?? false);
  if (ctx.signal.aborted) throw new CancelledError();
  const planOptions: ReconcileOptions = { ...reconcileOptions, recreateVolumes };

  const progress = createProgress(ctx);
  const waitFollows = options.wait && !options.noStart && !ctx.options.dryRun;
  await withProgress(progress, async () => {
    const printedWarnings = new Set<string>();
    const interrupted = anySignal([ctx.signal, ctx.forceSignal]);
    for (let round = 1; ; round++) {
      if (round > 1) observed = await observe(engine, project, { signal: ctx.forceSignal });
      const plan = withoutIgnoredWarnings(reconcile(project, observed, planOptions), ignoreOrphans);
      const running = untouchedRunning(plan, observed, project, new Set(targets));
      const result = await applyPlan(ctx, session, plan, progress, {
        project,
        observed,
        environment,
        printedWarnings,
        ...(options.explain ? { explain: true } : {}),
        untouched: running.map((name) => ({ ...done(`Container ${name}`, 'Running'), ...(waitFollows ? { final: false } : {}) })),
        ...(waitFollows ? { containerEventsFollow: true } : {}),
        ...(options.waitTimeout === undefined ? {} : { waitTimeoutSeconds: options.waitTimeout }),
        ...(hooks.beforeStart ? { beforeStart: hooks.beforeStart } : {}),
      });
      if (result.replan === undefined) break;
      if (round >= MAX_PLAN_ROUNDS) throw executionError(result);
      ctx.warn(`${result.replan}; observing the project again`);
      const [least, most] = REPLAN_PAUSE_MS;
      await abortableSleep(least + Math.random() * (most - least), interrupted).catch(() => undefined);
      if (interrupted.aborted) throw new CancelledError();
    }
    if (waitFollows) await waitForProject(ctx, session, project, targets, scale, options.waitTimeout, progress);
  });
}

/** COMPOSE_IGNORE_ORPHANS silences the orphan warning (Compose's behaviour). */
function withoutIgnoredWarnings(plan: Plan, ignoreOrphans: boolean): Plan {
  if (!ignoreOrphans) return plan;
  return { ...plan, warnings: plan.warnings.filter((message) => !message.startsWith('Found orphan containers')) };
}

/** Running containers of the targeted services the plan leaves alone: Compose reports them as Running. */
function untouchedRunning(plan: Plan, observed: ObservedState, project: Project, targets: ReadonlySet<string>): string[] {
  const touched = new Set<string>();
  for (const { op } of plan.nodes) {
    if (op.type === 'create-container' && op.replaces) touched.add(op.replaces.id);
    if (op.type === 'wait-dependency' || !('container' in op)) continue;
    if (op.container.kind === 'observed') touched.add(op.container.id);
  }
  return observed.containers
    .filter((container) => isProjectContainer(container.labels, project.name) && !isOneOff(container) && isActive(container))
    .filter((container) => targets.has(containerService(container) ?? '') && !touched.has(container.id))
    .map((container) => container.name)
    .sort();
}

/**
 * `up --wait`: every container of the targeted services running (and stable) or healthy; a
 * service that others wait on to complete must have exited 0. Compose reports a crash-looping
 * service as healthy (reliability P14); this fails it with its exit code and last log lines.
 */
async function waitForProject(
  ctx: Context,
  session: EngineSession,
  project: Project,
  targets: readonly string[],
  scale: Readonly<Record<string, number>>,
  explicitTimeout: number | undefined,
  progress: ProgressReporter,
): Promise<void> {
  const observed = await observe(session.engine, { name: project.name }, { signal: ctx.forceSignal });
  const completedBy = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const [dependency, entry] of Object.entries(service.depends_on ?? {})) {
      if (entry.condition === 'service_completed_successfully') completedBy.add(dependency);
    }
  }
  const waitTargets: WaitTarget[] = targets
    .filter((service) => desiredScale(project.services[service], scale) > 0)
    .map((service) => ({
      service,
      condition: completedBy.has(service) ? ('service_completed_successfully' as const) : ('running_or_healthy' as const),
      containers: observed.containers
        .filter((container) => containerService(container) === service && !isOneOff(container) && container.state !== 'removing')
        .map((container) => ({ id: container.id, name: container.name })),
    }));
  const signal = anySignal([ctx.signal, ctx.forceSignal]);
  try {
    await waitFor(session.engine, waitTargets, {
      timeoutSeconds: waitTimeoutSeconds(explicitTimeout, ctx.env),
      signal,
      progress,
      describeTimeout: (seconds) => `application not healthy after ${seconds}s`,
    });
  } catch (error) {
    if (signal.aborted) throw new CancelledError();
    throw error;
  }
}
