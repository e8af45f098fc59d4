/**
 * planDown: what `down` removes. Ownership is decided by labels only (reliability P2, P3, P6):
 * - containers labelled for the project, dependents before their dependencies;
 * - networks labelled for the project, unless the compose file declares them external;
 * - with `-v`: volumes labelled for the project (never a same-name volume without the label, nor
 *   another project's, which are kept with a warning, nor an external one), and the anonymous
 *   volumes of the removed containers;
 * - orphans only with `--remove-orphans`.
 * Works without a compose file (`down -p x`): the services and their order come from the labels.
 * Removing networks and volumes is best-effort: one still in use is a warning (Compose: "Resource
 * is still in use"), so `down` is idempotent (P11).
 */
import { LABEL } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { ReconcileError } from './errors.js';
import { graphFromDependsOnLabels, serviceGraph, type ServiceGraph } from './graph.js';
import { resourceId } from './names.js';
import { anonymousVolumeMounts } from './anonymous-volumes.js';
import {
  containerNumber,
  containerService,
  isActive,
  type ObservedContainer,
  type ObservedState,
} from './observed.js';
import { findService, isOrphan, knownServiceNames, observedRef, orphanWarning, projectContainers, stopTimeoutSeconds } from './ownership.js';
import { PlanBuilder, type Plan } from './plan.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';

export interface DownOptions {
  readonly projectName: string;
  /** The loaded project, when there is a compose file; absent for `down -p x` alone. */
  readonly project?: Project;
  /** `down web`: only these services' containers (networks and volumes are still attempted, as Compose does). */
  readonly services?: readonly string[];
  readonly removeOrphans?: boolean;
  /** `-v` */
  readonly volumes?: boolean;
  /** `-t` */
  readonly timeoutSeconds?: number;
}

function containerResource(container: ObservedContainer): string {
  const service = containerService(container);
  const number = containerNumber(container);
  return service !== undefined && number !== undefined ? resourceId.replica(service, number) : `container:${container.name}`;
}

function downGraph(options: DownOptions, containers: readonly ObservedContainer[]): ServiceGraph {
  if (options.project) return serviceGraph({ ...options.project.disabledServices, ...options.project.services });
  const labels = new Map<string, string | undefined>();
  for (const container of containers) {
    const service = containerService(container);
    if (service !== undefined && !labels.has(service)) labels.set(service, container.labels[LABEL.dependsOn]);
  }
  return graphFromDependsOnLabels(labels);
}

/**
 * A volume the file declares whose same-name volume the project does not own is left in place by
 * `down -v` (reliability P2); saying so, and why, keeps that from passing for a removal.
 */
function warnKeptVolumes(builder: PlanBuilder, observed: ObservedState, options: DownOptions): void {
  for (const volume of Object.values(options.project?.volumes ?? {})) {
    if (volume.external) continue;
    const found = observed.volumes.find((candidate) => candidate.name === volume.name);
    const owner = found?.labels[LABEL.project];
    if (found === undefined || owner === options.projectName) continue;
    builder.warn(
      owner === undefined
        ? `volume "${volume.name}" was kept: it was not created by tscompose or Docker Compose, so it is not this project's to remove.`
        : `volume "${volume.name}" was kept: it belongs to project "${owner}".`,
    );
  }
}

export function planDown(observed: ObservedState, options: DownOptions): Plan {
  const { projectName, project } = options;
  const builder = new PlanBuilder();
  const containers = projectContainers(observed, projectName);
  const graph = downGraph(options, containers);
  const known = project ? knownServiceNames(project) : new Set(graph.services);
  const unknown = (options.services ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new ReconcileError(unknown.map((name) => noSuchServiceMessage([name], known)));
  const selected = new Set(options.services && options.services.length > 0 ? options.services : known);

  const orphans = containers.filter((container) => {
    const service = containerService(container);
    return (service === undefined || !known.has(service)) && isOrphan(container, known);
  });
  const removeAnonymousVolumes = options.volumes ?? false;
  const removals: number[] = [];
  const anonymousVolumes = new Map<string, number[]>();

  const remove = (container: ObservedContainer, resource: string, cause: string, after: readonly number[]): number => {
    let stop: number | undefined;
    if (isActive(container)) {
      const service = findService(project, containerService(container) ?? '');
      const timeout = stopTimeoutSeconds(service, options.timeoutSeconds);
      stop = builder.add(
        {
          type: 'stop-container',
          container: observedRef(container),
          ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
          ...(service === undefined ? {} : { service: service.name }),
        },
        resource,
        cause,
        after,
      );
    }
    const removal = builder.add(
      { type: 'remove-container', container: observedRef(container), removeAnonymousVolumes },
      resource,
      cause,
      stop === undefined ? after : [stop],
    );
    removals.push(removal);
    if (removeAnonymousVolumes) {
      for (const mount of anonymousVolumeMounts(container, observed, project)) {
        anonymousVolumes.set(mount.name, [...(anonymousVolumes.get(mount.name) ?? []), removal]);
      }
    }
    return stop ?? removal;
  };

  // Dependents first: a service's containers stop once every dependent's containers have.
  graph.visitInOrder('stop', (service, after) =>
    selected.has(service)
      ? containers
          .filter((container) => containerService(container) === service && !orphans.includes(container))
          .map((container) => remove(container, containerResource(container), 'down', after))
      : [],
  );

  if (orphans.length > 0) {
    if (options.removeOrphans) for (const orphan of orphans) remove(orphan, resourceId.orphan(orphan.name), 'orphan', []);
    else if (project) builder.warn(orphanWarning(orphans));
  }

  const externalNetworks = new Set(Object.values(project?.networks ?? {}).filter((n) => n.external).map((n) => n.name));
  const networks = observed.networks
    .filter((network) => network.labels[LABEL.project] === projectName && !externalNetworks.has(network.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const network of networks) {
    builder.add(
      { type: 'remove-network', id: network.id, name: network.name },
      resourceId.network(network.labels[LABEL.network] ?? network.name),
      'down',
      removals,
      { bestEffort: true },
    );
  }

  if (options.volumes) {
    warnKeptVolumes(builder, observed, options);
    const externalVolumes = new Set(Object.values(project?.volumes ?? {}).filter((v) => v.external).map((v) => v.name));
    const volumes = observed.volumes
      .filter((volume) => volume.labels[LABEL.project] === projectName && !externalVolumes.has(volume.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const volume of volumes) {
      anonymousVolumes.delete(volume.name);
      builder.add(
        { type: 'remove-volume', name: volume.name },
        resourceId.volume(volume.labels[LABEL.volume] ?? volume.name),
        'down -v',
        removals,
        { bestEffort: true },
      );
    }
    // The engine's `rm -v` skips an anonymous volume a replacement mounted by name, so down -v
    // removes them explicitly (Compose leaks them: reliability P5).
    for (const name of [...anonymousVolumes.keys()].sort()) {
      builder.add({ type: 'remove-volume', name }, resourceId.volume(name), 'anonymous volume of a removed container', anonymousVolumes.get(name)!, {
        bestEffort: true,
        finishes: true,
      });
    }
  }

  const plan = builder.build();
  if (plan.nodes.length > 0) return plan;
  return { nodes: [], warnings: [...plan.warnings, `No resource found to remove for project "${projectName}".`] };
}
