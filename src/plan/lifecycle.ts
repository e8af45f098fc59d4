/**
 * Plans for `stop`, `start` and `restart`: existing containers only, nothing created or removed.
 * Behaviour checked against Compose 2.26.1:
 * - `stop web` stops only web (dependents first when several services are named);
 * - `start web` also starts web's dependencies, honouring depends_on conditions;
 * - `restart db` also restarts the services depending on db with `restart: true` (not with
 *   `--no-deps`), in dependency order, without waiting on conditions.
 */
import { LABEL } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { ReconcileError } from './errors.js';
import { graphFromDependsOnLabels, serviceGraph, type ServiceGraph } from './graph.js';
import { resourceId } from './names.js';
import { containerNumber, containerService, describeState, isActive, isOneOff, type ObservedContainer, type ObservedState } from './observed.js';
import { findService, knownServiceNames, observedRef, projectContainers, stopTimeoutSeconds } from './ownership.js';
import { PlanBuilder, type ContainerRef, type Plan } from './plan.js';
import { desiredScale } from './service-needs.js';
import { planStartPhase, type StartItem } from './start-phase.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

interface ServiceContainers {
  readonly graph: ServiceGraph;
  /** Non-one-off containers by service, ordered by replica number. */
  readonly byService: ReadonlyMap<string, readonly ObservedContainer[]>;
  readonly selected: readonly string[];
}

function collect(
  observed: ObservedState,
  projectName: string,
  project: Project | undefined,
  services: readonly string[] | undefined,
  enabledOnly: boolean,
): ServiceContainers {
  const containers = projectContainers(observed, projectName).filter((container) => !isOneOff(container));
  const byService = new Map<string, ObservedContainer[]>();
  for (const container of containers) {
    const service = containerService(container);
    if (service !== undefined) byService.set(service, [...(byService.get(service) ?? []), container]);
  }
  for (const list of byService.values()) list.sort((a, b) => (containerNumber(a) ?? 0) - (containerNumber(b) ?? 0));
  let graph: ServiceGraph;
  if (project) {
    graph = serviceGraph(enabledOnly ? project.services : { ...project.disabledServices, ...project.services });
  } else {
    graph = graphFromDependsOnLabels(new Map([...byService].map(([service, list]) => [service, list[0].labels[LABEL.dependsOn]])));
  }
  const known = project ? (enabledOnly ? new Set(Object.keys(project.services)) : knownServiceNames(project)) : new Set(graph.services);
  const unknown = (services ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new ReconcileError(unknown.map((name) => noSuchServiceMessage([name], known)));
  const selected = services && services.length > 0 ? [...services] : graph.services.filter((name) => known.has(name));
  return { graph, byService, selected };
}

function timeoutField(seconds: number | undefined): { timeoutSeconds?: number } {
  return seconds === undefined ? {} : { timeoutSeconds: seconds };
}

export interface StopOptions {
  readonly projectName: string;
  readonly project?: Project;
  readonly services?: readonly string[];
  readonly timeoutSeconds?: number;
}

/** `stop [services]`: the running containers of the named services (all when none), dependents first. */
export function planStop(observed: ObservedState, options: StopOptions): Plan {
  const builder = new PlanBuilder();
  const { graph, byService, selected } = collect(observed, options.projectName, options.project, options.services, false);
  const wanted = new Set(selected);
  graph.visitInOrder('stop', (service, after) => {
    if (!wanted.has(service)) return [];
    const timeout = stopTimeoutSeconds(findService(options.project, service), options.timeoutSeconds);
    return (byService.get(service) ?? [])
      .filter(isActive)
      .map((container) =>
        builder.add(
          { type: 'stop-container', container: observedRef(container), ...timeoutField(timeout), service },
          resourceId.replica(service, containerNumber(container) ?? 0),
          'stop',
          after,
        ),
      );
  });
  return builder.build();
}

export interface StartOptions {
  readonly project: Project;
  readonly services?: readonly string[];
  readonly waitTimeoutSeconds?: number;
}

/**
 * `start [services]`: the stopped containers of the named services and of their dependencies, in
 * dependency order with depends_on waits. A service (scale > 0) without any container is an error
 * (`up` creates containers, `start` does not).
 */
export function planStart(observed: ObservedState, options: StartOptions): Plan {
  const { project } = options;
  const builder = new PlanBuilder();
  const { graph, byService, selected } = collect(observed, project.name, project, options.services, true);
  const targets = new Set(graph.withDependencies(selected));
  const items = new Map<string, StartItem[]>();
  const finalRefs = new Map<string, ContainerRef[]>();
  const problems: string[] = [];
  for (const service of graph.startOrder()) {
    if (!targets.has(service)) continue;
    const containers = byService.get(service) ?? [];
    if (containers.length === 0 && desiredScale(project.services[service], undefined) > 0) {
      problems.push(`service "${service}" has no container to start`);
      continue;
    }
    finalRefs.set(service, containers.map((container) => observedRef(container)));
    items.set(
      service,
      containers
        .filter((container) => !isActive(container))
        .map((container) => ({
          number: containerNumber(container) ?? 0,
          ref: observedRef(container),
          cause: describeState(container),
          after: [],
        })),
    );
  }
  if (problems.length > 0) throw new ReconcileError(problems);
  planStartPhase({
    builder,
    graph,
    service: (name) => project.services[name],
    items,
    finalRefs,
    waitsOn: (dependency) => targets.has(dependency) && desiredScale(project.services[dependency], undefined) > 0,
    stoppedByPlan: new Map(),
    waitTimeoutSeconds: options.waitTimeoutSeconds,
  });
  return builder.build();
}

export interface RestartOptions {
  readonly projectName: string;
  readonly project?: Project;
  readonly services?: readonly string[];
  /** `--no-deps`: do not restart the `restart: true` dependents. */
  readonly noDeps?: boolean;
  readonly timeoutSeconds?: number;
}

/** `restart [services]`: every container of the named services (and their `restart: true` dependents), dependencies first. */
export function planRestart(observed: ObservedState, options: RestartOptions): Plan {
  const builder = new PlanBuilder();
  const { graph, byService, selected } = collect(observed, options.projectName, options.project, options.services, false);
  const targets = new Set(options.noDeps ? selected : graph.withDependents(selected, (edge) => edge.dependsOn?.restart === true));
  graph.visitInOrder('start', (service, after) => {
    if (!targets.has(service)) return [];
    const timeout = stopTimeoutSeconds(findService(options.project, service), options.timeoutSeconds);
    return (byService.get(service) ?? []).map((container) =>
      builder.add(
        { type: 'restart-container', container: observedRef(container), ...timeoutField(timeout), service },
        resourceId.replica(service, containerNumber(container) ?? 0),
        'restart',
        after,
      ),
    );
  });
  return builder.build();
}
