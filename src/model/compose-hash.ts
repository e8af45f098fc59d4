/**
 * Docker Compose's config hash, the value of `com.docker.compose.config-hash`, computed the way
 * Compose 2.26 computes it, so that switching tools recreates nothing: a container made by
 * `docker compose up` carries the hash tscompose expects for the same service, and the other way
 * round.
 *
 * Compose hashes its Go struct of the service as `json.Marshal` writes it (the object that
 * `config --format json` prints for the service, without indentation, `<`, `>` and `&` escaped),
 * after it has:
 * - dropped `build`, `pull_policy`, `scale` and `deploy.replicas` (deploy itself stays);
 * - dropped the `depends_on` entries with `required: false` whose service is not part of the run;
 * - replaced the references to other services' containers: `network_mode`, `ipc` and `pid`
 *   `service:x` become `container:<id of x's first container>`, a `volumes_from` entry `x[:mode]`
 *   becomes that id (the mode is lost) and `container:y[:mode]` becomes `y`.
 * So a service that shares another's namespace or volumes gets a new hash when that container is
 * replaced, in Compose as here. Newer Compose versions also drop depends_on (2.29.3) and profiles,
 * and compose-go adds fields over time: the hash is equal for Compose 2.26 (see
 * docs/compatibility.md).
 */
import { createHash } from 'node:crypto';
import { composeServiceJsonObject } from './render/compose-document.js';
import { jsonKeyCompare } from './render/go-key-order.js';
import type { Project, Service } from './types.js';

/** The id of the first container of a service (replica 1), or undefined when it has none yet. */
export type FirstContainerOf = (service: string) => string | undefined;

const SERVICE_PREFIX = 'service:';

function resolveMode(mode: string | undefined, containerOf: FirstContainerOf): string | undefined {
  if (!mode?.startsWith(SERVICE_PREFIX)) return mode;
  const id = containerOf(mode.slice(SERVICE_PREFIX.length));
  return id === undefined ? mode : `container:${id}`;
}

function resolveVolumesFrom(entry: string, containerOf: FirstContainerOf): string {
  const [first, second] = entry.split(':');
  if (first === 'container') return second ?? '';
  return containerOf(first) ?? entry;
}

/** What `up` knows and `config --hash` does not: the containers of the other services. */
export interface HashRun {
  readonly containerOf: FirstContainerOf;
}

/** The service as Compose holds it when it hashes it (see above). */
function hashedService(service: Service, project: Pick<Project, 'services'>, run: HashRun | undefined): Service {
  const { build: _build, pull_policy: _pullPolicy, scale: _scale, ...rest } = service;
  const hashed: { -readonly [K in keyof Service]: Service[K] } = { ...rest };
  if (service.deploy !== undefined) hashed.deploy = { ...service.deploy, replicas: undefined };
  // `config --hash` hashes the service as loaded; `up` prunes and resolves first.
  if (run === undefined) return hashed;
  if (service.depends_on !== undefined) {
    hashed.depends_on = Object.fromEntries(
      Object.entries(service.depends_on).filter(([name, dependency]) => dependency.required !== false || project.services[name] !== undefined),
    );
  }
  hashed.network_mode = resolveMode(service.network_mode, run.containerOf);
  hashed.ipc = resolveMode(service.ipc, run.containerOf);
  hashed.pid = resolveMode(service.pid, run.containerOf);
  if (service.volumes_from !== undefined) hashed.volumes_from = service.volumes_from.map((entry) => resolveVolumesFrom(entry, run.containerOf));
  return hashed;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,8})$/;

/** A string as Go's encoder writes it: JSON.stringify's escapes, plus `<`, `>`, `&`, U+2028 and U+2029. */
function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Go's json.Marshal text of a plain value, compact. Objects keep their key order (struct fields in
 * Go's order, map keys sorted byte-wise), except that JavaScript moves integer-like keys
 * (`"10"`, `"9"`) to the front in numeric order: an object with such a key is a map, so its keys
 * are sorted byte-wise again, as Go sorts them.
 */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'string') return goString(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  let keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  if (keys.some((key) => ARRAY_INDEX.test(key))) keys = keys.sort(jsonKeyCompare);
  return `{${keys.map((key) => `${goString(key)}:${goJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

/**
 * Compose's config hash of a service: as `up` writes it when `run` is given (where `run` knows no
 * container of a referenced service, the reference is hashed as written: such a container is made
 * after the one it refers to, and its hash is computed again then), else as `config --hash`
 * prints it.
 */
export function composeConfigHash(service: Service, project: Pick<Project, 'services'>, run?: HashRun): string {
  const text = goJson(composeServiceJsonObject(hashedService(service, project, run)));
  return createHash('sha256').update(text).digest('hex');
}

/** Whether the service's hash depends on the containers of other services. */
export function hashNamesContainers(service: Service): boolean {
  return (
    [service.network_mode, service.ipc, service.pid].some((mode) => mode?.startsWith(SERVICE_PREFIX)) ||
    (service.volumes_from ?? []).some((entry) => !entry.startsWith('container:'))
  );
}
