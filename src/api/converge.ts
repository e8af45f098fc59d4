/**
 * The converge step, one for every caller: `up` (and so watch's first run), watch's re-plans and
 * rebuilds, and the API's `up`. With plain inputs (an engine, a loaded project, flags as values):
 *
 * images (pull / build what is missing) -> observe -> reconcile -> execute -> (up --wait) wait,
 *
 * and the plan it ran is returned for the caller to report. A name conflict with a concurrent run
 * from elsewhere observes and plans again. The caller holds the project's lock.
 */
import { abortableSleep, anySignal } from '../apply/abort-signals.js';
import type { Engine } from '../apply/engine.js';
import { executionError } from '../apply/execution-summary.js';
import { ensureImages, type EnsuredImages } from '../apply/images.js';
import type { ImageOverrides } from '../apply/image-policy.js';
import { observe } from '../apply/observe.js';
import type { BeforeStartHook } from '../apply/operations.js';
import { done, withProgress, type ProgressReporter } from '../apply/progress.js';
import { waitFor, waitTimeoutSeconds, type WaitTarget } from '../apply/wait.js';
import { CancelledError } from '../errors.js';
import type { SealKey } from '../model/applied-config.js';
import { isProjectContainer } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { serviceGraph } from '../plan/graph.js';
import { containerService, isActive, isOneOff, type ObservedState } from '../plan/observed.js';
import { divergedVolumes, type DivergedVolume } from '../plan/networks-and-volumes.js';
import type { Plan } from '../plan/plan.js';
import { reconcile, type ReconcileOptions } from '../plan/reconcile.js';
import { desiredScale } from '../plan/service-needs.js';
import { targetServices } from '../plan/targets.js';
import { toolVersion } from '../tool-version.js';
import { runPlan } from './run-plan.js';

/** A re-plan after a concurrent run's name conflict happens at most this many times. */
const MAX_PLAN_ROUNDS = 8;
/** Runs that meet each other re-plan after a random pause, so they stop meeting at the same step. */
const REPLAN_PAUSE_MS = [100, 600] as const;

/** Where a converge runs: the engine, the project as loaded, the signals, the output sinks. */
export interface ConvergeRun {
  readonly engine: Engine;
  readonly project: Project;
  /** The project's environment (shell + .env): where `environment:` secrets take their content from. */
  readonly environment: Readonly<Record<string, string>>;
  /** The caller's environment: TSCOMPOSE_WAIT_TIMEOUT for `wait`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly sealKey: SealKey;
  /** First Ctrl-C: start nothing new. */
  readonly signal: AbortSignal;
  /** Second Ctrl-C: abort engine calls in flight. */
  readonly forceSignal: AbortSignal;
  /** Ends pulls and builds (default: either signal, so a first Ctrl-C leaves nothing half-done). */
  readonly imageSignal?: AbortSignal;
  /** A progress view for each step (the image step's is closed before the plan's opens). */
  readonly progress: () => ProgressReporter;
  readonly warn: (message: string) => void;
  readonly parallel?: number;
  /** Decide and report, touch nothing. */
  readonly dryRun?: boolean;
  /** Report each BuildKit step as a progress event (`--progress json`). */
  readonly buildStepEvents?: boolean;
}

export interface ConvergeOptions extends Omit<ReconcileOptions, 'toolVersion' | 'sealKey' | 'recreateVolumes' | 'afterConcurrentChange'> {
  /** COMPOSE_IGNORE_ORPHANS: no warning about orphan containers. */
  readonly ignoreOrphans?: boolean;
  /** `--pull`, `--build`, `--no-build`. */
  readonly images?: ImageOverrides & {
    /** `--quiet-pull`: no layer counts. */
    readonly quietPull?: boolean;
    /** Builder output, line by line; without it the current step shows in the progress view. */
    readonly onBuildOutput?: (service: string, line: string) => void;
  };
  /** Report the targeted running containers the plan leaves alone (`Container x  Running`), as `up` does. */
  readonly reportUntouched?: boolean;
  /** `up --wait`: once converged, wait until the targeted services run (and are healthy). */
  readonly wait?: boolean;
  /** Called right before each container starts (attached `up` attaches there). */
  readonly beforeStart?: BeforeStartHook;
  /** Called with each plan right before it runs (`--dry-run` and `--explain` print it). */
  readonly onPlan?: (plan: Plan) => void;
  /**
   * Which of the project's volumes whose definition changed may be recreated, losing their data
   * (reliability P18): asked once per run, before the plan's progress view opens; the keys to
   * recreate. Without it, such volumes are kept (the plan warns).
   */
  readonly confirmVolumes?: (diverged: readonly DivergedVolume[]) => Promise<ReadonlySet<string>>;
}

export interface Converged {
  /** The services this run converged, in start order. */
  readonly targets: readonly string[];
  readonly images: EnsuredImages;
  /** The plan that ran (the last one, when a concurrent run made it plan again). */
  readonly plan: Plan;
}

export async function converge(run: ConvergeRun, options: ConvergeOptions): Promise<Converged> {
  const { engine, project } = run;
  const scale = options.scale ?? {};
  const targets = targetServices(serviceGraph(project.services), options.services ?? [], options.noDeps);
  const { ignoreOrphans, images: imageOptions = {}, reportUntouched, wait, beforeStart, onPlan, confirmVolumes, ...planOptions } = options;
  const { quietPull, onBuildOutput, ...overrides } = imageOptions;

  // The image step has its own progress view (a terminal view lays out its resources once).
  const imageProgress = run.progress();
  const imageStep = withProgress(imageProgress, () =>
    ensureImages(
      engine,
      project,
      {
        ...overrides,
        toolVersion: toolVersion(),
        services: targets.filter((name) => desiredScale(project.services[name], scale) > 0),
        ...(quietPull ? { quietPull } : {}),
        ...(onBuildOutput ? { onBuildOutput } : {}),
        ...(run.dryRun ? { dryRun: true } : {}),
        ...(run.buildStepEvents ? { buildStepEvents: true } : {}),
        environment: run.environment,
        signal: run.imageSignal ?? anySignal([run.signal, run.forceSignal]),
        warn: run.warn,
        ...(run.parallel === undefined ? {} : { parallel: run.parallel }),
      },
      imageProgress,
    ),
  );

  // The project is listed while the image step runs (the lists do not depend on it), so an up
  // with nothing to pull or build waits for the engine once, not twice. A step that pulled or
  // built something is followed by a fresh look, as the project may have changed meanwhile.
  const listing = observe(engine, project, { signal: run.forceSignal }, imageStep.then((step) => step.images, () => ({})));
  // Awaited below, after the image step, whose error comes first.
  listing.catch(() => undefined);
  const images = await imageStep;
  const imagesChanged = Object.values(images.services).some((image) => image.source !== 'local');
  let observed = imagesChanged ? await observe(engine, project, { signal: run.forceSignal }, images.images) : await listing;
  const diverged = divergedVolumes(project, observed, targets.map((name) => project.services[name]), run.sealKey);
  const recreateVolumes = confirmVolumes ? await confirmVolumes(diverged) : new Set<string>();
  if (run.signal.aborted) throw new CancelledError();
  const reconcileOptions: ReconcileOptions = { ...planOptions, toolVersion: toolVersion(), sealKey: run.sealKey, recreateVolumes };

  const progress = run.progress();
  const waitFollows = wait === true && !options.noStart && !run.dryRun;
  const plan = await withProgress(progress, async () => {
    const printedWarnings = new Set<string>();
    const interrupted = anySignal([run.signal, run.forceSignal]);
    for (let round = 1; ; round++) {
      if (round > 1) observed = await observe(engine, project, { signal: run.forceSignal });
      const plan = withoutIgnoredWarnings(
        reconcile(project, observed, round > 1 ? { ...reconcileOptions, afterConcurrentChange: true } : reconcileOptions),
        ignoreOrphans === true,
      );
      const untouched = reportUntouched ? untouchedRunning(plan, observed, project, new Set(targets)) : [];
      const result = await runPlan(
        plan,
        { engine, progress, signal: run.signal, forceSignal: run.forceSignal, warn: run.warn, dryRun: run.dryRun ?? false, ...(run.parallel === undefined ? {} : { parallel: run.parallel }) },
        {
          project,
          observed,
          environment: run.environment,
          printedWarnings,
          replan: true,
          untouched: untouched.map((name) => ({ ...done(`Container ${name}`, 'Running'), ...(waitFollows ? { final: false } : {}) })),
          ...(onPlan ? { onPlan } : {}),
          ...(waitFollows ? { containerEventsFollow: true } : {}),
          ...(options.waitTimeoutSeconds === undefined ? {} : { waitTimeoutSeconds: options.waitTimeoutSeconds }),
          ...(beforeStart ? { beforeStart } : {}),
        },
      );
      if (result.replan === undefined) {
        if (waitFollows) await waitForProject(run, targets, scale, options.waitTimeoutSeconds, progress);
        return plan;
      }
      if (round >= MAX_PLAN_ROUNDS) throw executionError(result);
      run.warn(`${result.replan}; observing the project again`);
      const [least, most] = REPLAN_PAUSE_MS;
      await abortableSleep(least + Math.random() * (most - least), interrupted);
      if (interrupted.aborted) throw new CancelledError();
    }
  });
  return { targets, images, plan };
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
  run: ConvergeRun,
  targets: readonly string[],
  scale: Readonly<Record<string, number>>,
  explicitTimeout: number | undefined,
  progress: ProgressReporter,
): Promise<void> {
  const { engine, project } = run;
  const observed = await observe(engine, { name: project.name }, { signal: run.forceSignal });
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
  const signal = anySignal([run.signal, run.forceSignal]);
  try {
    await waitFor(engine, waitTargets, {
      timeoutSeconds: waitTimeoutSeconds(explicitTimeout, run.env ?? {}),
      signal,
      progress,
      describeTimeout: (seconds) => `application not healthy after ${seconds}s`,
    });
  } catch (error) {
    if (signal.aborted) throw new CancelledError();
    throw error;
  }
}
