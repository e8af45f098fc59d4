/**
 * Where a service names another service, a network, a volume, a secret or a config, in every
 * syntax Compose allows (short lists, long mappings, `service:x` strings), each with the path of
 * the node that names it. The rules about references and cycles read these instead of the raw tree.
 */
import type { PathSegment } from '../load/located.js';
import { isMapping, isTrue, type Mapping } from './rule.js';
import { parseVolumeSpec } from './syntax/volume-spec.js';

export interface Reference {
  readonly name: string;
  readonly path: readonly PathSegment[];
  /** Point at the key (map syntax) or at the value (list and string syntax). */
  readonly at: 'key' | 'value';
}

export interface ServiceDependency extends Reference {
  /** How the dependency is declared: `depends_on`, or an attribute that implies one. */
  readonly via: 'depends_on' | 'links' | 'network_mode' | 'ipc' | 'pid' | 'volumes_from';
  /** `required: false` in the long syntax: a missing dependency is not an error. */
  readonly required: boolean;
}

/** Names from a list of strings or the keys of a mapping (depends_on, networks, models). */
function listOrKeys(service: Mapping, key: string, base: readonly PathSegment[]): Reference[] {
  const value = service[key];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      typeof item === 'string' ? [{ name: item, path: [...base, key, index], at: 'value' as const }] : [],
    );
  }
  if (isMapping(value)) return Object.keys(value).map((name) => ({ name, path: [...base, key, name], at: 'key' as const }));
  return [];
}

/** Every service this one depends on, explicitly or through links, namespaces and volumes_from. */
export function serviceDependencies(serviceName: string, service: Mapping): ServiceDependency[] {
  const base = ['services', serviceName];
  const out: ServiceDependency[] = [];
  const dependsOn = service.depends_on;
  for (const ref of listOrKeys(service, 'depends_on', base)) {
    const long = isMapping(dependsOn) ? dependsOn[ref.name] : undefined;
    const required = !(isMapping(long) && long.required !== undefined && !isTrue(long.required));
    out.push({ ...ref, via: 'depends_on', required });
  }
  const links = service.links;
  if (Array.isArray(links)) {
    links.forEach((link, index) => {
      // SERVICE or SERVICE:ALIAS
      if (typeof link === 'string') {
        out.push({ name: link.split(':')[0], path: [...base, 'links', index], at: 'value', via: 'links', required: true });
      }
    });
  }
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const value = service[key];
    if (typeof value === 'string' && value.startsWith('service:')) {
      out.push({ name: value.slice('service:'.length), path: [...base, key], at: 'value', via: key, required: true });
    }
  }
  const volumesFrom = service.volumes_from;
  if (Array.isArray(volumesFrom)) {
    volumesFrom.forEach((entry, index) => {
      // SERVICE[:ro|rw] or container:NAME[:ro|rw]; containers are not services
      if (typeof entry !== 'string' || entry.startsWith('container:')) return;
      out.push({ name: entry.split(':')[0], path: [...base, 'volumes_from', index], at: 'value', via: 'volumes_from', required: true });
    });
  }
  return out;
}

/** Networks the service joins (list or mapping syntax). */
export function networkReferences(serviceName: string, service: Mapping): Reference[] {
  return listOrKeys(service, 'networks', ['services', serviceName]);
}

/** Models the service uses (list or mapping syntax). */
export function modelReferences(serviceName: string, service: Mapping): Reference[] {
  return listOrKeys(service, 'models', ['services', serviceName]);
}

/** Named volumes the service mounts (short `NAME:/path` or long `type: volume`). */
export function volumeReferences(serviceName: string, service: Mapping): Reference[] {
  const volumes = service.volumes;
  if (!Array.isArray(volumes)) return [];
  const out: Reference[] = [];
  volumes.forEach((entry, index) => {
    const path = ['services', serviceName, 'volumes', index];
    if (typeof entry === 'string') {
      const spec = parseVolumeSpec(entry);
      if (spec.ok && spec.type === 'volume' && spec.source) out.push({ name: spec.source, path, at: 'value' });
    } else if (isMapping(entry) && entry.type === 'volume' && typeof entry.source === 'string' && entry.source !== '') {
      out.push({ name: entry.source, path: [...path, 'source'], at: 'value' });
    }
  });
  return out;
}

/** Secrets or configs granted to the service (short names or long `source:`), also for build secrets. */
export function fileReferences(base: readonly PathSegment[], owner: Mapping, key: 'secrets' | 'configs'): Reference[] {
  const list = owner[key];
  if (!Array.isArray(list)) return [];
  const out: Reference[] = [];
  list.forEach((entry, index) => {
    if (typeof entry === 'string') out.push({ name: entry, path: [...base, key, index], at: 'value' });
    else if (isMapping(entry) && typeof entry.source === 'string') {
      out.push({ name: entry.source, path: [...base, key, index, 'source'], at: 'value' });
    }
  });
  return out;
}
