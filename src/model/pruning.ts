/**
 * Compose keeps only the top-level networks, volumes, secrets and configs that an enabled
 * service uses (before narrowing to the services named on the command line, so `config web`
 * still lists the other enabled services' resources). The implicit `default` network is added
 * only when some enabled service is attached to it.
 */
import type { Service } from './types.js';

export interface UsedResources {
  readonly networks: Set<string>;
  readonly volumes: Set<string>;
  readonly secrets: Set<string>;
  readonly configs: Set<string>;
}

export function usedResources(services: Iterable<Service>): UsedResources {
  const used: UsedResources = { networks: new Set(), volumes: new Set(), secrets: new Set(), configs: new Set() };
  for (const service of services) {
    for (const network of Object.keys(service.networks ?? {})) used.networks.add(network);
    for (const mount of service.volumes ?? []) {
      if (mount.type === 'volume' && mount.source !== undefined) used.volumes.add(mount.source);
    }
    for (const secret of service.secrets ?? []) used.secrets.add(secret.source);
    for (const secret of service.build?.secrets ?? []) used.secrets.add(secret.source);
    for (const config of service.configs ?? []) used.configs.add(config.source);
  }
  return used;
}

/** The entries of `resources` whose key is in `keep`, in their original order. */
export function keepUsed<T>(resources: Readonly<Record<string, T>>, keep: Set<string>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(resources)) if (keep.has(key)) out[key] = value;
  return out;
}
