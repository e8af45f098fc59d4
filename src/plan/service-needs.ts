/**
 * What a service needs from the project: how many replicas, which networks, which named volumes.
 * Shared by every planner.
 */
import type { Network, Project, Service } from '../model/types.js';

/** Desired replica count: `--scale` > `scale` > `deploy.replicas` > 1. */
export function desiredScale(service: Service, override: Readonly<Record<string, number>> | undefined): number {
  return override?.[service.name] ?? service.scale ?? service.deploy?.replicas ?? 1;
}

/** The network keys a service attaches to (none with a `network_mode`; `default` when it lists none). */
export function serviceNetworkKeys(service: Service): string[] {
  if (service.network_mode !== undefined) return [];
  if (service.networks === undefined) return ['default'];
  return Object.keys(service.networks).sort();
}

/**
 * The definition of a network key. `default` exists even when the file does not declare it
 * (Compose adds it to every project); any other undeclared key is undefined.
 */
export function projectNetwork(project: Project, key: string): Network | undefined {
  return project.networks[key] ?? (key === 'default' ? { name: `${project.name}_default` } : undefined);
}

/** The keys of the named (top-level) volumes a service mounts. */
export function serviceVolumeKeys(service: Service, project: Project): string[] {
  const keys = (service.volumes ?? [])
    .filter((mount) => mount.type === 'volume' && mount.source !== undefined && project.volumes[mount.source] !== undefined)
    .map((mount) => mount.source!);
  return [...new Set(keys)].sort();
}
