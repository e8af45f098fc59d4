/**
 * Which observed resources belong to the project, decided by labels only (never by names), and
 * small helpers every planner shares.
 */
import { isProjectContainer } from '../model/labels.js';
import type { Project, Service } from '../model/types.js';
import type { ContainerRef } from './plan.js';
import { containerService, isOneOff, type ObservedContainer, type ObservedState } from './observed.js';

/**
 * The project's containers: labelled for it, with a config hash, and not already being removed.
 * The observer filters by label too; checking again here keeps the planner safe on its own
 * (reliability P6).
 */
export function projectContainers(observed: ObservedState, projectName: string): ObservedContainer[] {
  return observed.containers
    .filter((container) => isProjectContainer(container.labels, projectName) && container.state !== 'removing')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The names of the services a project knows, enabled or disabled by profiles. */
export function knownServiceNames(project: Project): Set<string> {
  return new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]);
}

/**
 * An orphan is a container of a service the project no longer declares (enabled or disabled), or
 * a one-off container that has finished (Compose's rule: running one-offs are left alone).
 */
export function isOrphan(container: ObservedContainer, knownServices: ReadonlySet<string>): boolean {
  if (isOneOff(container)) return container.state === 'exited' || container.state === 'dead';
  const service = containerService(container);
  return service === undefined || !knownServices.has(service);
}

/** Compose's orphan warning, word for word (names sorted, Go's list spelling). */
export function orphanWarning(orphans: readonly ObservedContainer[]): string {
  const names = orphans.map((container) => container.name).sort();
  return (
    `Found orphan containers ([${names.join(' ')}]) for this project. If you removed or renamed this service ` +
    'in your compose file, you can run this command with the --remove-orphans flag to clean it up.'
  );
}

export function observedRef(container: ObservedContainer, name: string = container.name): ContainerRef {
  return { kind: 'observed', id: container.id, name };
}

/** `-t` wins; else the service's `stop_grace_period` (nanoseconds, rounded up to whole seconds). */
export function stopTimeoutSeconds(service: Service | undefined, override: number | undefined): number | undefined {
  if (override !== undefined) return override;
  if (service?.stop_grace_period === undefined) return undefined;
  return Math.ceil(service.stop_grace_period / 1e9);
}

/** The service definition for a name, enabled or disabled. */
export function findService(project: Project | undefined, name: string): Service | undefined {
  return project?.services[name] ?? project?.disabledServices[name];
}
