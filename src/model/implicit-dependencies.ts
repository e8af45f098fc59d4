/**
 * Compose adds a dependency for every way a service reaches into another one, so that the other
 * one is created first: `links`, `network_mode: service:x`, `ipc: service:x`, `pid: service:x`
 * (these restart the dependent when the dependency restarts: `restart: true`) and
 * `volumes_from: x` (no restart). An explicit `depends_on` entry for the same service wins.
 */
import type { Dependency, Service } from './types.js';
import { sortByKey } from './scalars.js';

const SERVICE_PREFIX = 'service:';

/** The services `service` reaches into, each with whether the link implies `restart: true`. */
export function implicitDependencies(service: Service): Map<string, boolean> {
  const found = new Map<string, boolean>();
  const add = (name: string, restart: boolean): void => {
    if (name !== '' && !found.has(name)) found.set(name, restart);
  };
  for (const link of service.links ?? []) add(link.split(':')[0], true);
  for (const mode of [service.network_mode, service.ipc, service.pid]) {
    if (mode?.startsWith(SERVICE_PREFIX)) add(mode.slice(SERVICE_PREFIX.length), true);
  }
  for (const source of service.volumes_from ?? []) {
    if (source.startsWith('container:')) continue;
    add(source.split(':')[0], false);
  }
  return found;
}

/**
 * Returns `service` with its implicit dependencies added to `depends_on`. Only services that
 * exist are added (a reference to an unknown service is the validator's business).
 */
export function withImplicitDependencies(service: Service, exists: (name: string) => boolean): Service {
  const implicit = implicitDependencies(service);
  if (implicit.size === 0) return service;
  const dependsOn: Record<string, Dependency> = { ...service.depends_on };
  let changed = false;
  for (const [name, restart] of implicit) {
    if (dependsOn[name] || !exists(name)) continue;
    dependsOn[name] = restart
      ? { condition: 'service_started', restart: true, required: true }
      : { condition: 'service_started', required: true };
    changed = true;
  }
  return changed ? { ...service, depends_on: sortByKey(dependsOn) } : service;
}
