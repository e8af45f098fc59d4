/**
 * The start phase shared by `up` and `start`: services in dependency order, each start gated by
 * its dependencies (a plain edge for `service_started`, a shared wait node for
 * `service_healthy` / `service_completed_successfully`).
 *
 * A replacement (recreate) is finished here, in the order that keeps a working service up when
 * the replacement cannot start (reliability P15):
 *
 *   create replacement (create phase) -> [dependencies ready] -> stop dependents that must
 *   restart -> stop old -> start replacement -> remove old -> rename replacement
 *
 * The old container is only stopped (its name, volumes and config intact) until the replacement
 * has started, so the start node carries a rollback (plan.ts). Nothing is stopped before the
 * dependencies are ready: a failing dependency leaves the old container running.
 */
import type { Project, Service } from '../model/types.js';
import { NAMESPACE_EDGE_KINDS, type ServiceGraph } from './graph.js';
import { planRenewedVolumeRemovals } from './inherited-volumes.js';
import { resourceId } from './names.js';
import { isActive, type ObservedContainer, type ObservedState } from './observed.js';
import { observedRef, stopTimeoutSeconds } from './ownership.js';
import type { ContainerRef, PlanBuilder, WaitDependencyOp } from './plan.js';

export interface StartItem {
  readonly number: number;
  readonly ref: ContainerRef;
  readonly cause: string;
  /** Nodes this start must follow (the container's create, a repair rename). */
  readonly after: readonly number[];
  /** A replacement: the container it replaces and the node creating it. */
  readonly replacement?: {
    readonly old: ObservedContainer;
    readonly create: number;
    readonly finalName: string;
  };
  /** An unchanged running container that is stopped, then started again, because a `restart: true` dependency was recreated. */
  readonly restartAfterStop?: ObservedContainer;
  /** A container waiting in the engine's restart back-off: restarted at once instead of started. */
  readonly restartNow?: boolean;
}

export interface StartPhaseInput {
  readonly builder: PlanBuilder;
  readonly graph: ServiceGraph;
  readonly service: (name: string) => Service | undefined;
  /** What to start, per service (ascending replica number). */
  readonly items: ReadonlyMap<string, readonly StartItem[]>;
  /** The containers each service has once the plan ran: what a wait node watches. */
  readonly finalRefs: ReadonlyMap<string, readonly ContainerRef[]>;
  /** Whether a dependency's condition is waited on (not with --no-deps, not at scale 0). */
  readonly waitsOn: (dependency: string) => boolean;
  /** Containers already stopped by an earlier node (container ID -> node). Updated. */
  readonly stoppedByPlan: Map<string, number>;
  /** `-V`: what decides which volumes of a replaced container are anonymous (anonymous-volumes.ts); absent otherwise. */
  readonly renewAnonVolumes?: { readonly observed: ObservedState; readonly project: Project };
  readonly timeoutSeconds?: number;
  readonly waitTimeoutSeconds?: number;
  /** Services whose dependencies' conditions are waited on even when none of their containers starts. */
  readonly waitsAlways?: ReadonlySet<string>;
}

export function planStartPhase(input: StartPhaseInput): void {
  const { builder, graph } = input;
  /** Per service: the nodes a dependent's start must follow (its starts, or its own prerequisites). */
  const chainEnds = new Map<string, number[]>();
  const waitNodes = new Map<string, number>();

  const waitNode = (dependency: string, condition: WaitDependencyOp['condition'], required: boolean, dependent: string, chain: readonly number[]): number => {
    const key = `${dependency}:${condition}`;
    const existing = waitNodes.get(key);
    if (existing !== undefined) {
      // Several dependents share one wait; a single required dependent makes it required.
      builder.update(existing, (node) => {
        const op = node.op as WaitDependencyOp;
        const isRequired = op.required || required;
        const dependents = [...new Set([...op.dependents, dependent])].sort();
        return { ...node, bestEffort: !isRequired, op: { ...op, required: isRequired, dependents } };
      });
      builder.addDependencies(existing, chain);
      return existing;
    }
    const op: WaitDependencyOp = {
      type: 'wait-dependency',
      service: dependency,
      condition,
      containers: input.finalRefs.get(dependency) ?? [],
      required,
      dependents: [dependent],
      ...(input.waitTimeoutSeconds === undefined ? {} : { timeoutSeconds: input.waitTimeoutSeconds }),
    };
    const id = builder.add(op, resourceId.wait(dependency, condition), `depends_on: ${condition}`, chain, { bestEffort: !required });
    waitNodes.set(key, id);
    return id;
  };

  const prerequisites = (service: string): number[] => {
    const nodes: number[] = [];
    for (const edge of graph.dependencies(service)) {
      if (!input.waitsOn(edge.service)) continue;
      const chain = chainEnds.get(edge.service) ?? [];
      const condition = edge.dependsOn?.condition ?? 'service_started';
      if (condition === 'service_started') nodes.push(...chain);
      else nodes.push(waitNode(edge.service, condition, edge.dependsOn?.required ?? true, service, chain));
    }
    return nodes;
  };

  /** Dependents whose containers must stop while `service` is replaced: `restart: true` and shared namespaces. */
  const stopDependents = (service: string, after: readonly number[]): { nodes: number[]; refs: ContainerRef[] } => {
    const nodes: number[] = [];
    const refs: ContainerRef[] = [];
    for (const dependent of graph.dependents(service)) {
      const edge = graph.dependencies(dependent).find((candidate) => candidate.service === service)!;
      const mustStop = edge.dependsOn?.restart === true || edge.kinds.some((kind) => NAMESPACE_EDGE_KINDS.has(kind));
      if (!mustStop) continue;
      for (const item of input.items.get(dependent) ?? []) {
        const container = item.restartAfterStop ?? item.replacement?.old;
        if (container === undefined || !isActive(container)) continue;
        let stop = input.stoppedByPlan.get(container.id);
        if (stop === undefined) {
          stop = builder.add(
            {
              type: 'stop-container',
              container: observedRef(container),
              ...timeout(stopTimeoutSeconds(input.service(dependent), input.timeoutSeconds)),
              service: dependent,
            },
            resourceId.replica(dependent, item.number),
            `dependency ${service} is being recreated`,
            after,
          );
          input.stoppedByPlan.set(container.id, stop);
        }
        nodes.push(stop);
        refs.push(observedRef(container));
      }
    }
    return { nodes, refs };
  };

  for (const service of graph.startOrder()) {
    const items = input.items.get(service) ?? [];
    if (items.length === 0) {
      // Nothing starts here, but dependents must still come after what starts below it. A
      // targeted service still waits on its dependencies' conditions, as Compose does on every
      // `up` (a dependency that became unhealthy fails the run; a healthy one says so at once).
      const inherited = graph.dependencies(service).flatMap((edge) => chainEnds.get(edge.service) ?? []);
      const waits = input.waitsAlways?.has(service) ? prerequisites(service) : [];
      chainEnds.set(service, [...new Set([...inherited, ...waits])]);
      continue;
    }
    const ready = prerequisites(service);
    const creates = items.flatMap((item) => (item.replacement ? [item.replacement.create] : []));
    const dependents = creates.length > 0 ? stopDependents(service, [...creates, ...ready]) : { nodes: [], refs: [] };
    const stopTimeout = timeout(stopTimeoutSeconds(input.service(service), input.timeoutSeconds));
    const starts: number[] = [];

    for (const item of items) {
      const resource = resourceId.replica(service, item.number);
      if (item.replacement) {
        const { old, create, finalName } = item.replacement;
        const deps = [create, ...ready, ...dependents.nodes];
        if (isActive(old)) {
          let stop = input.stoppedByPlan.get(old.id);
          if (stop === undefined) {
            stop = builder.add(
              { type: 'stop-container', container: observedRef(old), ...stopTimeout, service },
              resource,
              `replaced by #${create}`,
              deps,
            );
            input.stoppedByPlan.set(old.id, stop);
          }
          deps.push(stop);
        }
        const start = builder.add(
          {
            type: 'start-container',
            service,
            container: item.ref,
            rollback: {
              replacement: item.ref,
              previous: { id: old.id, name: old.name },
              restartPrevious: isActive(old),
              restartDependents: dependents.refs,
            },
          },
          resource,
          item.cause,
          deps,
        );
        const remove = builder.add(
          { type: 'remove-container', container: observedRef(old), removeAnonymousVolumes: input.renewAnonVolumes !== undefined },
          resource,
          `replaced by #${create}`,
          [start],
        );
        if (input.renewAnonVolumes) planRenewedVolumeRemovals(builder, old, input.renewAnonVolumes, resource, remove);
        builder.add({ type: 'rename-container', container: item.ref, newName: finalName }, resource, 'finalize recreate', [remove]);
        starts.push(start);
        continue;
      }
      const deps = [...item.after, ...ready];
      if (item.restartAfterStop) {
        const stop = input.stoppedByPlan.get(item.restartAfterStop.id);
        // Not stopped (its dependency was not replaced after all): it keeps running.
        if (stop === undefined) continue;
        deps.push(stop);
      }
      starts.push(
        item.restartNow
          ? builder.add({ type: 'restart-container', container: item.ref, ...stopTimeout, service }, resource, item.cause, deps)
          : builder.add({ type: 'start-container', service, container: item.ref }, resource, item.cause, deps),
      );
    }
    chainEnds.set(service, starts.length > 0 ? starts : ready);
  }
}

function timeout(seconds: number | undefined): { timeoutSeconds?: number } {
  return seconds === undefined ? {} : { timeoutSeconds: seconds };
}
