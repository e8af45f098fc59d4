/**
 * What each plan operation does against the engine, following the contract written on it in
 * plan/plan.ts. The scheduler (execute.ts) decides when a node runs; this module decides nothing
 * about order. What the run knows as it goes is run-state.ts's, the words its events use
 * plan-progress.ts's, and how engine failures are read engine-failures.ts's.
 *
 * Engine calls take only the *force* signal (second Ctrl-C): a graceful stop lets a call in flight
 * finish, so the engine is never left mid-operation by a first Ctrl-C. Waits take both signals.
 */
import { readFileSync } from 'node:fs';
import { CancelledError, EngineError, TscomposeError } from '../errors.js';
import {
  ConcurrentRunError,
  firstLine,
  isAmbiguousNetwork,
  isConcurrentChange,
  isInUse,
  isKind,
  isNetworkGone,
  isRemovalInProgress,
  RolledBackError,
  withName,
} from './engine-failures.js';
import { isProjectContainer, LABEL } from '../model/labels.js';
import type { Project, Service } from '../model/types.js';
import type { ObservedState } from '../plan/observed.js';
import type {
  ContainerRef,
  CreateContainerOp,
  PlanNode,
  ReplacementRollback,
  StartContainerOp,
  WaitDependencyOp,
} from '../plan/plan.js';
import { containerFilesArchive } from './container-files.js';
import { createTimeLabels } from './create-time-labels.js';
import { toContainerSpec } from './container-spec.js';
import type { Engine } from './engine.js';
import { runLifecycleHooks } from './lifecycle-hooks.js';
import { containerId, PlanProgress } from './plan-progress.js';
import { done, failed, warning, working, type ProgressReporter } from './progress.js';
import { RunState } from './run-state.js';
import { toNetworkSpec, toVolumeSpec } from './resource-specs.js';
import { dependencyWaitSeconds, waitFor } from './wait.js';

/** Called right before a container starts (attached mode attaches here, so no output line is lost). */
export interface BeforeStartTarget {
  readonly id: string;
  /** The name users know: the final name, also for a replacement still under its temporary name. */
  readonly name: string;
  readonly service: string;
}

export type BeforeStartHook = (container: BeforeStartTarget) => Promise<void>;

export interface OperationContext {
  readonly engine: Engine;
  /** Needed to create containers; commands that only stop, start or remove can leave it out. */
  readonly project?: Project;
  /** The state the plan was made from: the current containers of each service (for `service:x` references). */
  readonly observed?: ObservedState;
  /** Where `environment:` secrets and configs take their content from (the project's environment). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly progress?: ProgressReporter;
  readonly warn?: (message: string) => void;
  /** Aborts engine calls in flight (second Ctrl-C). */
  readonly forceSignal?: AbortSignal;
  /** Aborts waits (first or second Ctrl-C). */
  readonly waitSignal?: AbortSignal;
  /** Explicit deadline for dependency waits that carry none (`--wait-timeout` is already on the node). */
  readonly waitTimeoutSeconds?: number;
  readonly beforeStart?: BeforeStartHook;
  /** Emit the events, touch nothing. */
  readonly dryRun?: boolean;
  /**
   * The caller reports more about the containers after the plan (`up --wait`): their last plan
   * event must not end their line in a terminal view.
   */
  readonly containerEventsFollow?: boolean;
  readonly readFile?: (path: string) => string;
}

export class PlanOperations {
  private readonly state: RunState;
  private readonly progress: PlanProgress;
  private readonly imageIds = new Map<string, Promise<string | undefined>>();
  private readonly warned = new Set<string>();

  constructor(
    nodes: readonly PlanNode[],
    private readonly context: OperationContext,
  ) {
    this.state = new RunState(nodes, context.project?.name, context.observed);
    this.progress = new PlanProgress(nodes, this.state, context.progress, context.containerEventsFollow === true);
  }

  /** The ids a terminal view should lay out before anything happens. */
  displayIds(): string[] {
    return this.progress.displayIds();
  }

  /** Runs one node; resolves with a note for the summary, throws on failure. */
  async run(node: PlanNode): Promise<void> {
    const id = this.progress.displayId(node);
    const op = node.op;
    if (op.type === 'wait-dependency') {
      this.progress.finish(node);
      return this.waitDependency(op);
    }
    const [doing, did] = this.progress.words(node);
    if (id !== undefined) this.progress.event(working(id, doing));
    try {
      if (!this.context.dryRun) await this.perform(node);
      else if (op.type === 'create-container') this.state.recordCreated(node.id, `dry-run-${node.id}`);
    } catch (error) {
      this.progress.finish(node);
      if (node.bestEffort && id !== undefined) {
        this.progress.event(isInUse(error) ? warning(id, 'Resource is still in use') : warning(id, 'Warning', firstLine(error)));
      } else if (!(error instanceof ConcurrentRunError) && !(error instanceof CancelledError)) {
        this.progress.event(failed(id ?? containerId(this.nodeName(node)), firstLine(error)));
      }
      throw error;
    }
    this.progress.finish(node);
    if (id !== undefined) this.progress.event(done(id, did));
  }

  private nodeName(node: PlanNode): string {
    const op = node.op;
    if ('container' in op) return this.state.displayName(op.container);
    return node.resource;
  }

  private call(): { signal?: AbortSignal } {
    return this.context.forceSignal ? { signal: this.context.forceSignal } : {};
  }

  /** Runs the node's engine calls; errors name the container, not its id. */
  private async perform(node: PlanNode): Promise<void> {
    const op = node.op;
    const ref = 'container' in op ? op.container : undefined;
    try {
      await this.performCalls(node);
    } catch (error) {
      if (ref === undefined) throw error;
      const id = this.state.idOf(ref);
      throw id === undefined ? error : withName(error, id, this.state.displayName(ref));
    }
  }

  private async performCalls(node: PlanNode): Promise<void> {
    const { engine } = this.context;
    const op = node.op;
    switch (op.type) {
      case 'create-network':
        return this.createNetwork(op.name, op.key, () => engine.createNetwork(toNetworkSpec(op.name, op.network, op.labels), this.call()));
      case 'remove-network':
        return this.ignoreNotFound(engine.removeNetwork(op.id, this.call()));
      case 'create-volume': {
        const volume = await engine.createVolume(toVolumeSpec(op.name, op.volume, op.labels), this.call());
        // Creating an existing volume returns it: accept it only when it is this project's (a concurrent run made it).
        if (volume.labels[LABEL.project] !== op.labels[LABEL.project] || volume.labels[LABEL.volume] !== op.key) {
          throw new TscomposeError(
            `volume "${op.name}" was created meanwhile by something other than this project; use "external: true" to use it, or remove it`,
          );
        }
        return;
      }
      case 'remove-volume':
        return this.ignoreNotFound(engine.removeVolume(op.name, this.call()));
      case 'create-container':
        this.state.recordCreated(node.id, await this.createContainer(op));
        return;
      case 'start-container':
        return this.startContainer(op);
      case 'stop-container': {
        const id = this.state.resolve(op.container);
        await this.runPreStopHooks(op.service, id, op.container);
        return this.ignoreNotFound(
          engine.stopContainer(id, { ...this.call(), ...(op.timeoutSeconds === undefined ? {} : { timeoutSeconds: op.timeoutSeconds }) }),
        );
      }
      case 'restart-container': {
        const id = this.state.resolve(op.container);
        await this.runPreStopHooks(op.service, id, op.container);
        await engine.restartContainer(id, {
          ...this.call(),
          ...(op.timeoutSeconds === undefined ? {} : { timeoutSeconds: op.timeoutSeconds }),
        });
        if (op.service !== undefined) await runLifecycleHooks(engine, { id, service: op.service }, this.service(op.service)?.post_start, this.call());
        return;
      }
      case 'remove-container': {
        const id = this.state.resolve(op.container);
        try {
          await this.ignoreNotFound(engine.removeContainer(id, { ...this.call(), force: true, volumes: op.removeAnonymousVolumes }));
        } catch (error) {
          if (!isRemovalInProgress(error)) throw error;
        }
        this.state.forget(id);
        return;
      }
      case 'rename-container':
        return this.renameContainer(op.container, op.newName);
      case 'wait-dependency':
        return this.waitDependency(op);
    }
  }

  private async ignoreNotFound(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (isKind(error, 'not-found')) return;
      throw error;
    }
  }

  /**
   * A 409 means a concurrent run created it meanwhile: accept it when its labels say it is ours.
   * The engine's duplicate check is not atomic, so two runs without a shared lock can both create
   * the network; every run that creates one then keeps the oldest and removes the others, so all
   * agree on the survivor and the name is unambiguous again.
   */
  private async createNetwork(name: string, key: string, create: () => Promise<string>): Promise<void> {
    const { engine } = this.context;
    const project = this.context.project?.name;
    try {
      await create();
    } catch (error) {
      if (!isKind(error, 'conflict')) throw error;
      const existing = await engine.inspectNetwork(name, this.call());
      if (existing && existing.labels[LABEL.project] === project && existing.labels[LABEL.network] === key) return;
      throw error;
    }
    if (project === undefined) return;
    const twins = (await engine.listNetworks(project, this.call()))
      .filter((network) => network.name === name && network.labels[LABEL.network] === key)
      .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
    for (const duplicate of twins.slice(1)) await engine.removeNetwork(duplicate.id, this.call()).catch(() => undefined);
  }

  // ---- containers ---------------------------------------------------------------------------

  private imageId(reference: string): Promise<string | undefined> {
    let pending = this.imageIds.get(reference);
    if (pending === undefined) {
      pending = this.context.engine.inspectImage(reference, this.call()).then((image) => image?.id);
      this.imageIds.set(reference, pending);
    }
    return pending;
  }

  private service(name: string): Service | undefined {
    return this.context.project?.services[name] ?? this.context.project?.disabledServices[name];
  }

  /**
   * `pre_stop` runs while the container still runs. Unlike Compose, a failing hook does not keep
   * the container from stopping (that would leave `down` and Ctrl-C stuck): it is a warning.
   */
  private async runPreStopHooks(serviceName: string | undefined, id: string, ref: ContainerRef): Promise<void> {
    const hooks = serviceName === undefined ? undefined : this.service(serviceName)?.pre_stop;
    if (hooks === undefined || hooks.length === 0) return;
    try {
      await runLifecycleHooks(this.context.engine, { id, service: serviceName! }, hooks, this.call());
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      // Gone or no longer running (a container that exited meanwhile): nothing to run the hook in.
      if (isKind(error, 'not-found') || isKind(error, 'conflict')) return;
      this.context.warn?.(`pre_stop of ${this.state.displayName(ref)}: ${(error as Error).message}; stopping it anyway`);
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.context.warn?.(message);
  }

  private requireProject(): Project {
    if (this.context.project === undefined) throw new TscomposeError('creating a container needs the compose file');
    return this.context.project;
  }

  /**
   * Create, connect the other networks, copy secret and config files in. A container that cannot
   * be completed is removed again: a half-made container would look finished to the next run.
   */
  private async createContainer(op: CreateContainerOp): Promise<string> {
    const { engine } = this.context;
    const project = this.requireProject();
    const labels = await createTimeLabels(op, project, {
      containersOf: (service) => this.state.containersOf(service),
      imageId: (reference) => this.imageId(reference),
    });
    const spec = toContainerSpec({
      project,
      service: op.service,
      number: op.number,
      name: op.name,
      finalName: op.finalName,
      labels,
      env: this.context.environment ?? {},
      containersOf: (service) => this.state.containersOf(service),
      inheritVolumes: op.inheritVolumes,
      readFile: this.context.readFile ?? ((path) => readFileSync(path, 'utf8')),
    });
    for (const message of spec.warnings) this.warnOnce(message);

    let id: string;
    try {
      id = await engine.createContainer(spec.create, this.call());
    } catch (error) {
      if (isKind(error, 'conflict')) await this.explainNameConflict(op.name, error);
      if (isAmbiguousNetwork(error) || isNetworkGone(error)) throw new ConcurrentRunError(op.name);
      throw error;
    }
    try {
      for (const connection of spec.connect) await engine.connectNetwork(connection.network, id, connection.endpoint, this.call());
      if (spec.files.length > 0) await engine.putArchive(id, '/', await containerFilesArchive(spec.files), this.call());
    } catch (error) {
      await engine.removeContainer(id, { force: true }).catch(() => undefined);
      throw error;
    }
    this.state.setCurrent(op.service.name, op.number, id);
    return id;
  }

  /**
   * The last step of a recreate, or a repair. A concurrent run may have done it already (the
   * engine refuses to rename to the current name: done), or taken the name, or removed the
   * container: re-plan.
   */
  private async renameContainer(ref: ContainerRef, newName: string): Promise<void> {
    const id = this.state.resolve(ref);
    try {
      await this.context.engine.renameContainer(id, newName, this.call());
    } catch (error) {
      if (error instanceof EngineError && /same name as its current name/i.test(error.message)) return;
      if (isKind(error, 'conflict') || isConcurrentChange(error) || (await this.goneMeanwhile(id))) throw new ConcurrentRunError(newName);
      throw error;
    }
  }

  /**
   * Whether a container this plan acts on was removed (or is being removed) behind its back: the
   * engine's own error then names whatever its removal pulled from under the call (a missing
   * file, say), so the container is looked at again.
   */
  private async goneMeanwhile(id: string): Promise<boolean> {
    if (this.context.forceSignal?.aborted) return false;
    try {
      return (await this.context.engine.inspectContainer(id, this.call())).state.status === 'removing';
    } catch (error) {
      return isKind(error, 'not-found');
    }
  }

  /** 409 on create: ours (a concurrent run: re-plan) or someone else's (refuse, never remove it). */
  private async explainNameConflict(name: string, error: unknown): Promise<never> {
    const holder = await this.context.engine.inspectContainer(name, this.call()).catch(() => undefined);
    // Gone again already, or ours: another run is at work on the project. A container with the
    // project label but no config hash was made by hand: it is not ours (P6).
    const project = this.context.project?.name;
    if (holder === undefined || (project !== undefined && isProjectContainer(holder.labels, project))) throw new ConcurrentRunError(name);
    throw new TscomposeError(
      `the container name "${name}" is already in use by a container that does not belong to project "${this.context.project?.name}"; ` +
        'rename or remove that container, or set a different container_name',
      { cause: error },
    );
  }

  private async startContainer(op: StartContainerOp): Promise<void> {
    const { engine } = this.context;
    const id = this.state.resolve(op.container);
    if (this.context.beforeStart) await this.context.beforeStart({ id, name: this.state.displayName(op.container), service: op.service });
    try {
      await engine.startContainer(id, this.call());
      // A failing post_start fails the start, as in Compose (a replacement is rolled back).
      await runLifecycleHooks(engine, { id, service: op.service }, this.service(op.service)?.post_start, this.call());
    } catch (error) {
      if (isAmbiguousNetwork(error) && op.rollback === undefined) throw new ConcurrentRunError(this.state.displayName(op.container));
      // Gone, being removed, or its network removed by a concurrent run: a rollback would act on
      // what that run changes; observing again tells what is left to do.
      if (isConcurrentChange(error) || (!(error instanceof CancelledError) && (await this.goneMeanwhile(id)))) {
        throw new ConcurrentRunError(this.state.displayName(op.container));
      }
      const named = withName(error, id, this.state.displayName(op.container));
      if (op.rollback === undefined || error instanceof CancelledError) throw named;
      const outcome = await this.rollBack(op.rollback, id);
      throw new RolledBackError(`${firstLine(named)}; ${outcome}`, outcome, { cause: error });
    }
  }

  /**
   * The replacement did not start (reliability P15): remove it, start the container it was to
   * replace again, and the dependents stopped for the recreate. Runs to the end even after a first
   * Ctrl-C, so a working service is not left down.
   */
  private async rollBack(rollback: ReplacementRollback, replacementId: string): Promise<string> {
    const { engine } = this.context;
    const problems: string[] = [];
    // With its anonymous volumes: the engine removes only those it made for the replacement
    // (fresh ones, as with -V or a new path), never the inherited ones it mounts by name.
    await engine.removeContainer(replacementId, { ...this.call(), force: true, volumes: true }).catch((error: unknown) => {
      problems.push(`the replacement could not be removed: ${firstLine(error)}`);
    });
    this.state.forget(replacementId);
    if (rollback.restartPrevious) {
      await engine.startContainer(rollback.previous.id, this.call()).catch((error: unknown) => {
        problems.push(`${rollback.previous.name} could not be started again: ${firstLine(error)}`);
      });
    }
    for (const ref of rollback.restartDependents) {
      await engine.startContainer(this.state.resolve(ref), this.call()).catch((error: unknown) => {
        problems.push(`${this.state.displayName(ref)} could not be started again: ${firstLine(error)}`);
      });
    }
    if (problems.length > 0) return `rollback incomplete: ${problems.join('; ')}`;
    return rollback.restartPrevious
      ? `rolled back: ${rollback.previous.name} runs its previous configuration again`
      : `rolled back: ${rollback.previous.name} keeps its previous configuration`;
  }

  private async waitDependency(op: WaitDependencyOp): Promise<void> {
    const containers = op.containers.map((ref) => ({ id: this.context.dryRun ? ref.name : this.state.resolve(ref), name: this.state.displayName(ref) }));
    if (this.context.dryRun) {
      for (const container of containers) {
        this.progress.event(working(containerId(container.name), 'Waiting'));
        this.progress.event(done(containerId(container.name), op.condition === 'service_healthy' ? 'Healthy' : 'Exited'));
      }
      return;
    }
    const seconds = dependencyWaitSeconds(op, this.context.project?.services[op.service], this.context.waitTimeoutSeconds, this.context.environment ?? {});
    const condition = op.condition === 'service_healthy' ? 'healthy' : 'completed successfully';
    await waitFor(this.context.engine, [{ service: op.service, condition: op.condition, containers }], {
      timeoutSeconds: seconds,
      ...(this.context.waitSignal ? { signal: this.context.waitSignal } : {}),
      progress: this.progress,
      optional: !op.required,
      describeTimeout: (limit) =>
        `dependency "${op.service}" of ${op.dependents.map((name) => `"${name}"`).join(', ')} did not become ${condition} within ${limit}s`,
    });
  }
}
