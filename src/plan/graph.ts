/**
 * The service dependency graph: `depends_on` plus the implicit dependencies Compose also honours
 * (`network_mode`/`ipc`/`pid: service:x`, `volumes_from: x`, `links: x`). Pure and deterministic:
 * every listing is sorted, so plans and error messages never depend on object key order.
 */
import { parseDependsOnLabel } from '../model/labels.js';
import type { Dependency, Service } from '../model/types.js';
import { DependencyCycleError } from './errors.js';

export type EdgeKind = 'depends_on' | 'network_mode' | 'ipc' | 'pid' | 'volumes_from' | 'links';

/** One dependency of a service (several reasons to depend on the same service are merged). */
export interface DependencyEdge {
  readonly service: string;
  readonly kinds: readonly EdgeKind[];
  /** The `depends_on` entry, when there is one (conditions, `required`, `restart`). */
  readonly dependsOn?: Dependency;
}

/** The kinds that share a namespace or mounts with the dependency: its recreation invalidates them. */
export const NAMESPACE_EDGE_KINDS: ReadonlySet<EdgeKind> = new Set(['network_mode', 'ipc', 'pid', 'volumes_from']);

/** `service:db` -> `db`; anything else (host, none, container:x, shareable) -> undefined. */
export function referencedService(mode: string | undefined): string | undefined {
  if (mode === undefined || !mode.startsWith('service:')) return undefined;
  const name = mode.slice('service:'.length);
  return name === '' ? undefined : name;
}

/** `volumes_from` entry `db` / `db:ro` -> `db`; `container:x[:ro]` -> undefined. */
export function volumesFromService(entry: string): string | undefined {
  if (entry.startsWith('container:')) return undefined;
  const name = entry.split(':')[0];
  return name === '' ? undefined : name;
}

/** Every dependency a service declares, explicit and implicit, before filtering unknown names. */
export function declaredDependencies(service: Service): DependencyEdge[] {
  const byName = new Map<string, { kinds: EdgeKind[]; dependsOn?: Dependency }>();
  const add = (name: string | undefined, kind: EdgeKind, dependsOn?: Dependency): void => {
    if (name === undefined) return;
    const entry = byName.get(name) ?? { kinds: [] };
    if (!entry.kinds.includes(kind)) entry.kinds.push(kind);
    if (dependsOn !== undefined) entry.dependsOn = dependsOn;
    byName.set(name, entry);
  };
  for (const [name, dependency] of Object.entries(service.depends_on ?? {})) add(name, 'depends_on', dependency);
  add(referencedService(service.network_mode), 'network_mode');
  add(referencedService(service.ipc), 'ipc');
  add(referencedService(service.pid), 'pid');
  for (const entry of service.volumes_from ?? []) add(volumesFromService(entry), 'volumes_from');
  for (const link of service.links ?? []) add(link.split(':')[0] || undefined, 'links');
  return [...byName.keys()].sort().map((name) => {
    const { kinds, dependsOn } = byName.get(name)!;
    return dependsOn === undefined ? { service: name, kinds } : { service: name, kinds, dependsOn };
  });
}

/**
 * A directed acyclic graph of services. Construction rejects cycles with the whole path
 * (`a -> b -> c -> a`), found by a depth-first walk in name order so the reported cycle is stable.
 */
export class ServiceGraph {
  /** All services, sorted by name. */
  readonly services: readonly string[];
  private readonly edges: ReadonlyMap<string, readonly DependencyEdge[]>;
  private readonly reverse: ReadonlyMap<string, readonly string[]>;

  /** `adjacency`: service -> its dependencies. Edges to services not in the map are dropped. */
  constructor(adjacency: ReadonlyMap<string, readonly DependencyEdge[]>) {
    this.services = [...adjacency.keys()].sort();
    const edges = new Map<string, DependencyEdge[]>();
    const reverse = new Map<string, string[]>(this.services.map((name) => [name, []]));
    for (const name of this.services) {
      const kept = adjacency
        .get(name)!
        .filter((edge) => adjacency.has(edge.service))
        .sort((a, b) => compare(a.service, b.service));
      edges.set(name, kept);
      for (const edge of kept) reverse.get(edge.service)!.push(name);
    }
    for (const list of reverse.values()) list.sort();
    this.edges = edges;
    this.reverse = reverse;
    this.checkAcyclic();
  }

  has(service: string): boolean {
    return this.edges.has(service);
  }

  /** The services `service` depends on (sorted). */
  dependencies(service: string): readonly DependencyEdge[] {
    return this.edges.get(service) ?? [];
  }

  /** The services that depend on `service` (sorted). */
  dependents(service: string): readonly string[] {
    return this.reverse.get(service) ?? [];
  }

  /**
   * Start waves: level 0 has no dependencies, level n depends only on levels < n. Services of a
   * level can start in parallel. Each level is sorted.
   */
  levels(): string[][] {
    const remaining = new Map(this.services.map((name) => [name, this.dependencies(name).length]));
    const levels: string[][] = [];
    while (remaining.size > 0) {
      const level = [...remaining.entries()].filter(([, count]) => count === 0).map(([name]) => name).sort();
      for (const name of level) {
        remaining.delete(name);
        for (const dependent of this.dependents(name)) {
          if (remaining.has(dependent)) remaining.set(dependent, remaining.get(dependent)! - 1);
        }
      }
      levels.push(level);
    }
    return levels;
  }

  /** Dependencies before dependents (the order `up` and `start` visit services). */
  startOrder(): string[] {
    return this.levels().flat();
  }

  /** Dependents before dependencies (the order `stop` and `down` visit services). */
  stopOrder(): string[] {
    return this.levels().reverse().flat();
  }

  /**
   * `services` plus everything they depend on, transitively (`up web` also brings up `db`), in
   * start order. `edgeFilter` can keep only some edges.
   */
  withDependencies(services: readonly string[], edgeFilter: (edge: DependencyEdge) => boolean = () => true): string[] {
    const selected = new Set<string>();
    const visit = (name: string): void => {
      if (selected.has(name) || !this.has(name)) return;
      selected.add(name);
      for (const edge of this.dependencies(name)) if (edgeFilter(edge)) visit(edge.service);
    };
    services.forEach(visit);
    return this.startOrder().filter((name) => selected.has(name));
  }

  /**
   * `services` plus every service depending on them through an edge `edgeFilter` keeps,
   * transitively, in start order (`restart db` also restarts `restart: true` dependents).
   */
  withDependents(services: readonly string[], edgeFilter: (edge: DependencyEdge) => boolean = () => true): string[] {
    const selected = new Set<string>();
    const visit = (name: string): void => {
      if (selected.has(name) || !this.has(name)) return;
      selected.add(name);
      for (const dependent of this.dependents(name)) {
        const edge = this.dependencies(dependent).find((candidate) => candidate.service === name)!;
        if (edgeFilter(edge)) visit(dependent);
      }
    };
    services.forEach(visit);
    return this.startOrder().filter((name) => selected.has(name));
  }

  /**
   * Visits the services in start order (dependencies first) or stop order (dependents first),
   * giving each the plan nodes it must follow: what the services before it returned, passed on
   * through services that returned none, so order holds across services with nothing to do.
   */
  visitInOrder(direction: 'start' | 'stop', visit: (service: string, after: number[]) => number[]): void {
    const ends = new Map<string, number[]>();
    const order = direction === 'start' ? this.startOrder() : this.stopOrder();
    for (const service of order) {
      const before = direction === 'start' ? this.dependencies(service).map((edge) => edge.service) : this.dependents(service);
      const after = [...new Set(before.flatMap((name) => ends.get(name) ?? []))];
      const nodes = visit(service, after);
      ends.set(service, nodes.length > 0 ? nodes : after);
    }
  }

  private checkAcyclic(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (name: string): void => {
      state.set(name, 'visiting');
      stack.push(name);
      for (const edge of this.dependencies(name)) {
        const seen = state.get(edge.service);
        if (seen === 'visiting') {
          throw new DependencyCycleError([...stack.slice(stack.indexOf(edge.service)), edge.service]);
        }
        if (seen === undefined) visit(edge.service);
      }
      stack.pop();
      state.set(name, 'done');
    };
    for (const name of this.services) if (!state.has(name)) visit(name);
  }
}

/** The graph of a set of model services (the enabled services of a project). */
export function serviceGraph(services: Readonly<Record<string, Service>>): ServiceGraph {
  return new ServiceGraph(
    new Map(Object.entries(services).map(([name, service]) => [name, declaredDependencies(service)])),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The graph recorded on containers (`com.docker.compose.depends_on` labels), for commands that run
 * without a compose file (`down -p x`): service -> its label value.
 */
export function graphFromDependsOnLabels(labels: ReadonlyMap<string, string | undefined>): ServiceGraph {
  const adjacency = new Map<string, DependencyEdge[]>();
  for (const [service, value] of labels) {
    const edges = parseDependsOnLabel(value).map((entry): DependencyEdge => ({
      service: entry.service,
      kinds: ['depends_on'],
      dependsOn: {
        condition: isCondition(entry.condition) ? entry.condition : 'service_started',
        required: true,
        restart: entry.restart,
      },
    }));
    adjacency.set(service, edges);
  }
  try {
    return new ServiceGraph(adjacency);
  } catch (error) {
    // Labels from different runs can disagree; without a file the order is only a courtesy.
    if (error instanceof DependencyCycleError) return new ServiceGraph(new Map([...adjacency.keys()].map((name) => [name, []])));
    throw error;
  }
}

function isCondition(value: string): value is Dependency['condition'] {
  return value === 'service_started' || value === 'service_healthy' || value === 'service_completed_successfully';
}
