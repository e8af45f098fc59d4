/**
 * The Plan: a DAG of operations, each mapping to one engine call (or one wait), each carrying the
 * human cause that `--dry-run` and the progress output show. The reconciler decides everything;
 * the executor decides nothing. It runs the nodes along the edges and follows the contracts
 * written on each operation below.
 *
 * Executor rules for every node:
 * - A node runs once all of its `dependsOn` nodes succeeded. When one of them failed or was
 *   skipped, the node is skipped (and reported as not done).
 * - A failed `bestEffort` node is reported as a warning and counts as succeeded.
 * - Nodes whose dependencies are done may run in parallel, up to the concurrency limit.
 * - `ContainerRef` of kind `planned` names the `create-container` node whose result (the new
 *   container's ID) is the target; the executor keeps each create node's result by node ID.
 * - A container that is already in the wanted state is not an error: stopping a stopped
 *   container, starting a running one (Compose treats both as done).
 */
import type { Dependency, Network, Service, Volume } from '../model/types.js';

/** A container the operation acts on: one that exists now, or one a create node of this plan makes. */
export type ContainerRef =
  | { readonly kind: 'observed'; readonly id: string; readonly name: string }
  | { readonly kind: 'planned'; readonly createdBy: number; readonly name: string };

/** An anonymous volume the replacement mounts by name at the same path as the container it replaces. */
export interface InheritedVolume {
  readonly target: string;
  readonly volume: string;
}

/**
 * Create a network. Contract: create `name` with the definition's driver, options, IPAM,
 * internal/attachable/IPv6 flags and `labels` (already merged: the user's plus the identity).
 * The network does not exist when the plan was made; a 409 (created meanwhile by a concurrent
 * run) should be re-observed: accept it when its labels name this project and key.
 */
export interface CreateNetworkOp {
  readonly type: 'create-network';
  readonly key: string;
  readonly name: string;
  readonly network: Network;
  readonly labels: Readonly<Record<string, string>>;
}

/** Remove a network by ID. Planned best-effort: a network still in use is a warning (Compose: "Resource is still in use"). */
export interface RemoveNetworkOp {
  readonly type: 'remove-network';
  readonly id: string;
  readonly name: string;
}

/** Create a volume with the definition's driver and options and `labels` (merged). Same 409 rule as networks. */
export interface CreateVolumeOp {
  readonly type: 'create-volume';
  readonly key: string;
  readonly name: string;
  readonly volume: Volume;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Remove a volume by name. Only ever planned for volumes this project owns (its label) or for
 * anonymous volumes of containers it removes; best-effort (in use, already gone).
 */
export interface RemoveVolumeOp {
  readonly type: 'remove-volume';
  readonly name: string;
}

/**
 * Create (do not start) a container of `service`, replica `number`, under `name`.
 * Contract: build the engine spec from `service` (the container spec mapping), merge `labels`
 * over the service's own labels, set `com.docker.compose.image` to the image ID used when the
 * plan did not know it, and use `finalName` (not `name`) wherever the container's identity shows:
 * network aliases and anything else derived from the container name. Resolve `service:x`
 * references (network_mode, ipc, pid, volumes_from) to the current container of x, which the
 * plan orders before this node. Mount each `inheritVolumes` entry (by volume name) at its
 * target instead of letting the engine make a fresh anonymous volume there. The result of the
 * node is the new container's ID. A 409 name conflict with a container of this project means a
 * concurrent run (reliability P16): re-observe and re-plan instead of failing.
 */
export interface CreateContainerOp {
  readonly type: 'create-container';
  readonly service: Service;
  readonly number: number;
  /** The name to create under: the final name, or the temporary name of a replacement. */
  readonly name: string;
  readonly finalName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly inheritVolumes: readonly InheritedVolume[];
  /** For a replacement: the container it replaces (still holding `finalName`). */
  readonly replaces?: { readonly id: string; readonly name: string };
}

/**
 * What undoes a recreate whose replacement does not start (reliability promise P15: a recreate
 * must not take down a working service). The old container was only stopped, never removed, so
 * rolling back is: remove the replacement (force, with the anonymous volumes the engine made for
 * it: the ones it shares with the old container are mounted by name, and the engine keeps those),
 * start `previous` again when `restartPrevious`, and start the
 * `restartDependents` that were stopped for this recreate. The start node still reports failure.
 */
export interface ReplacementRollback {
  readonly replacement: ContainerRef;
  readonly previous: { readonly id: string; readonly name: string };
  readonly restartPrevious: boolean;
  readonly restartDependents: readonly ContainerRef[];
}

/**
 * Start a container. Contract: copy `content`/`environment` secrets and configs in before the
 * start (the container spec layer knows how), then start it. When `rollback` is set and the
 * start fails, apply the rollback before reporting the failure.
 */
export interface StartContainerOp {
  readonly type: 'start-container';
  readonly service: string;
  readonly container: ContainerRef;
  readonly rollback?: ReplacementRollback;
}

/**
 * Stop a container: its stop signal, then SIGKILL after `timeoutSeconds` (absent = the timeout
 * the container was created with, i.e. its `stop_grace_period`, else the engine's 10 s).
 */
export interface StopContainerOp {
  readonly type: 'stop-container';
  readonly container: ContainerRef;
  readonly timeoutSeconds?: number;
  /** The container's service: its `pre_stop` hooks run first (absent for orphans). */
  readonly service?: string;
}

/** Restart a container (engine restart: stop with `timeoutSeconds`, then start), between its service's `pre_stop` and `post_start` hooks. */
export interface RestartContainerOp {
  readonly type: 'restart-container';
  readonly container: ContainerRef;
  readonly timeoutSeconds?: number;
  readonly service?: string;
}

/**
 * Remove a container (force, so a container restarted by its policy since the stop still goes).
 * `removeAnonymousVolumes` = the engine's `v=true`; when the plan also lists anonymous volumes
 * to remove (down -v), those follow as separate best-effort remove-volume nodes.
 */
export interface RemoveContainerOp {
  readonly type: 'remove-container';
  readonly container: ContainerRef;
  readonly removeAnonymousVolumes: boolean;
}

/** Rename a container (the last step of a recreate, or the repair of an interrupted one). */
export interface RenameContainerOp {
  readonly type: 'rename-container';
  readonly container: ContainerRef;
  readonly newName: string;
}

/**
 * Wait until the containers of dependency `service` satisfy `condition` (never
 * `service_started`, which is a plain edge):
 * - `service_healthy`: every container's health is `healthy`; fail at once when one is
 *   `unhealthy`, has exited, or has no healthcheck (`dependency failed to start: container X is
 *   unhealthy` / `... has no healthcheck configured`);
 * - `service_completed_successfully`: every container has exited; fail on a non-zero exit
 *   (`service "x" didn't complete successfully: exit N`).
 * Poll the containers in `containers` (re-inspecting; the plan holds no health state), give up
 * after `timeoutSeconds` (absent = the executor's default deadline) and show the last health
 * output or log lines on failure. `required: false` (node is bestEffort): a failure is a warning
 * and the dependents start anyway, as Compose does for optional dependencies.
 */
export interface WaitDependencyOp {
  readonly type: 'wait-dependency';
  readonly service: string;
  readonly condition: Exclude<Dependency['condition'], 'service_started'>;
  readonly containers: readonly ContainerRef[];
  readonly required: boolean;
  /** The services waiting on it (for messages). */
  readonly dependents: readonly string[];
  readonly timeoutSeconds?: number;
}

export type Operation =
  | CreateNetworkOp
  | RemoveNetworkOp
  | CreateVolumeOp
  | RemoveVolumeOp
  | CreateContainerOp
  | StartContainerOp
  | StopContainerOp
  | RestartContainerOp
  | RemoveContainerOp
  | RenameContainerOp
  | WaitDependencyOp;

export type OperationType = Operation['type'];

export interface PlanNode {
  /** 1, 2, 3, ... in the order the nodes were planned (a topological order). */
  readonly id: number;
  /** IDs of the nodes that must succeed first (sorted, all smaller than `id`). */
  readonly dependsOn: readonly number[];
  /**
   * What the node acts on, for grouping progress lines: `service:web:1`, `network:default`,
   * `volume:data`, `orphan:<container name>`, `wait:db:service_healthy`.
   */
  readonly resource: string;
  /** Why: `not found`, `config hash changed: environment.MODE`, `scale down`, `orphan`, ... */
  readonly cause: string;
  /** A failure is a warning, not an error (see the executor rules above). */
  readonly bestEffort: boolean;
  /**
   * Finishes the step it follows, so it still starts after the first Ctrl-C (not the second):
   * the anonymous volume of a container already removed would otherwise be left with nothing
   * that leads to it.
   */
  readonly finishes?: true;
  readonly op: Operation;
}

export interface Plan {
  /** In topological order: every node comes after all of its dependencies. */
  readonly nodes: readonly PlanNode[];
  /** Things the user should know that do not stop the plan (orphans, foreign volumes, ...). */
  readonly warnings: readonly string[];
}

/** Accumulates nodes; guarantees ids are increasing and dependencies point backwards. */
export class PlanBuilder {
  private readonly nodes: PlanNode[] = [];
  private readonly warningList: string[] = [];

  add(
    op: Operation,
    resource: string,
    cause: string,
    dependsOn: Iterable<number> = [],
    options: { bestEffort?: boolean; finishes?: boolean } = {},
  ): number {
    const id = this.nodes.length + 1;
    const deps = [...new Set(dependsOn)].sort((a, b) => a - b);
    for (const dep of deps) {
      if (dep < 1 || dep >= id) throw new Error(`plan node #${id} cannot depend on #${dep}`);
    }
    this.nodes.push({ id, dependsOn: deps, resource, cause, bestEffort: options.bestEffort ?? false, ...(options.finishes ? { finishes: true as const } : {}), op });
    return id;
  }

  node(id: number): PlanNode {
    return this.nodes[id - 1];
  }

  /** Replaces a node's operation (used to merge a shared wait node's dependents). */
  update(id: number, change: (node: PlanNode) => PlanNode): void {
    this.nodes[id - 1] = change(this.nodes[id - 1]);
  }

  /** Adds dependencies to an existing node; they must still point backwards. */
  addDependencies(id: number, dependsOn: Iterable<number>): void {
    this.update(id, (node) => {
      const deps = [...new Set([...node.dependsOn, ...dependsOn])].sort((a, b) => a - b);
      for (const dep of deps) if (dep >= id) throw new Error(`plan node #${id} cannot depend on #${dep}`);
      return { ...node, dependsOn: deps };
    });
  }

  warn(message: string): void {
    if (!this.warningList.includes(message)) this.warningList.push(message);
  }

  build(): Plan {
    return { nodes: [...this.nodes], warnings: [...this.warningList] };
  }
}

function refText(ref: ContainerRef): string {
  return ref.kind === 'observed' ? ref.name : `${ref.name} (#${ref.createdBy})`;
}

/** The short description of what an operation does, after its type. */
export function describeOperation(op: Operation): string {
  switch (op.type) {
    case 'create-network':
    case 'create-volume':
    case 'remove-network':
    case 'remove-volume':
      return op.name;
    case 'create-container': {
      const inherits = op.inheritVolumes.map((volume) => volume.target);
      return inherits.length > 0 ? `${op.name} inheriting ${inherits.join(', ')}` : op.name;
    }
    case 'start-container':
      return op.rollback ? `${refText(op.container)} rollback to ${op.rollback.previous.name}` : refText(op.container);
    case 'stop-container':
    case 'restart-container':
      return op.timeoutSeconds === undefined ? refText(op.container) : `${refText(op.container)} timeout ${op.timeoutSeconds}s`;
    case 'remove-container':
      return op.removeAnonymousVolumes ? `${refText(op.container)} with anonymous volumes` : refText(op.container);
    case 'rename-container':
      return `${refText(op.container)} -> ${op.newName}`;
    case 'wait-dependency':
      return `${op.service} ${op.condition}${op.required ? '' : ' (optional)'} for ${op.dependents.join(', ')}`;
  }
}

/**
 * The printed plan, one line per node, for `--dry-run` and for tests:
 * `[1,2] -> #3 service:web:1, create-container p-web-1, not found`
 * (dependencies, id, resource, operation and what it acts on, cause; `best effort` when a
 * failure is only a warning). An empty plan prints as the empty string.
 */
export function formatPlan(plan: Plan): string {
  return plan.nodes
    .map((node) => {
      const flag = node.bestEffort ? ' (best effort)' : '';
      return `[${node.dependsOn.join(',')}] -> #${node.id} ${node.resource}, ${node.op.type} ${describeOperation(node.op)}, ${node.cause}${flag}`;
    })
    .join('\n');
}
