/**
 * tscompose's canonical config of a service, and digests of it.
 *
 * The canonical config of a service is the model's service with the fields that must not force a
 * recreate removed, rendered as key-sorted JSON (JavaScript keeps insertion order, so without the
 * sort two equal services could hash differently). It is stored on the container, sealed
 * (applied-config.ts), so the next run can name the fields that changed, and it decides whether a
 * container tscompose made must be recreated. The config-hash label holds Docker Compose's own
 * hash instead (compose-hash.ts), which decides for containers made by other tools.
 *
 * Stability is a promise (re-running `up` must not recreate anything): changing what goes into
 * the canonical config recreates every container of every user once. The golden test in
 * test/unit/model/hash.test.ts pins the digest of a fixed service.
 */
import { createHash } from 'node:crypto';
import type { FileReference, Network, Project, SecretOrConfig, Service, Volume } from './types.js';

/** A JSON value in canonical form: objects have sorted keys and no undefined members. */
export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

/**
 * Service fields that never force a recreate:
 * - build, pull_policy: how the image is obtained (a rebuilt image is caught by its ID instead);
 * - scale (and deploy.replicas below): how many containers, not what each one is;
 * - depends_on: start order only (Compose also drops it since 2.29.3);
 * - profiles: whether the service is enabled;
 * - develop: watch rules, read by `watch`, never by the engine;
 * - attach: whether `up` shows its logs;
 * - extensions: `x-*` keys are for other tools and never reach the engine.
 */
const EXCLUDED_SERVICE_FIELDS: ReadonlySet<string> = new Set([
  'build',
  'pull_policy',
  'scale',
  'depends_on',
  'profiles',
  'develop',
  'attach',
  'extensions',
]);

/** Renders any plain value in canonical form (sorted keys; undefined members and functions dropped). */
export function toCanonical(value: unknown): CanonicalValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toCanonical(item)));
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      // JSON has no NaN/Infinity; the model never holds them, but a hash must not throw.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      const result: { [key: string]: CanonicalValue } = {};
      for (const key of Object.keys(value).sort()) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined || typeof member === 'function') continue;
        result[key] = toCanonical(member);
      }
      return result;
    }
    default:
      return null;
  }
}

/** Key-sorted JSON without whitespace: the text that is hashed and stored. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(toCanonical(value));
}

/** SHA-256 (hex) of the canonical JSON of a value. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** `sha256:<hex>` of a text: stands in for inline content so secrets never appear in a label. */
export function contentDigest(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/**
 * What a secret or config reference means for the container: the reference plus the parts of the
 * top-level definition that decide the content. Inline content is reduced to its digest, so a
 * changed `content:` recreates the container (Compose misses this, docker/compose#13045) without
 * the content ever being written into a label.
 */
function resolveFileReference(
  reference: FileReference,
  definitions: Readonly<Record<string, SecretOrConfig>>,
): Record<string, unknown> {
  const definition = definitions[reference.source];
  if (definition === undefined) return { ...reference };
  return {
    ...reference,
    definition: {
      name: definition.name,
      file: definition.file,
      environment: definition.environment,
      content: definition.content === undefined ? undefined : contentDigest(definition.content),
      external: definition.external,
    },
  };
}

/** The canonical config of a service: what its containers are made from, and nothing else. */
export function canonicalServiceConfig(service: Service, project: Project): CanonicalValue {
  const selected: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (EXCLUDED_SERVICE_FIELDS.has(key)) continue;
    selected[key] = value;
  }
  if (service.deploy !== undefined) {
    const { replicas: _replicas, ...deploy } = service.deploy;
    if (Object.keys(deploy).length > 0) selected.deploy = deploy;
    else delete selected.deploy;
  }
  if (service.volumes !== undefined) {
    // A mount's `x-*` keys (x-tscompose-reload) are read by watch only, like the service's own.
    selected.volumes = service.volumes.map(withoutExtensions);
  }
  // The `x-*` keys nested in a port, a network entry, ... never reach the engine either.
  if (service.ports !== undefined) selected.ports = service.ports.map(withoutExtensions);
  if (service.networks !== undefined) {
    selected.networks = Object.fromEntries(
      Object.entries(service.networks).map(([name, attachment]) => [name, attachment === null ? null : withoutExtensions(attachment)]),
    );
  }
  if (service.healthcheck !== undefined) selected.healthcheck = withoutExtensions(service.healthcheck);
  if (service.logging !== undefined) selected.logging = withoutExtensions(service.logging);
  if (isPlainObject(selected.deploy) && service.deploy?.resources !== undefined) {
    const { limits, reservations } = service.deploy.resources;
    selected.deploy = {
      ...selected.deploy,
      resources: { limits: limits && withoutExtensions(limits), reservations: reservations && withoutExtensions(reservations) },
    };
  }
  if (service.secrets !== undefined) {
    selected.secrets = service.secrets.map((reference) => resolveFileReference(withoutExtensions(reference), project.secrets));
  }
  if (service.configs !== undefined) {
    selected.configs = service.configs.map((reference) => resolveFileReference(withoutExtensions(reference), project.configs));
  }
  return toCanonical(selected);
}

/** A model struct without its `x-*` keys (user maps such as `environment` are never passed here). */
function withoutExtensions<T extends { readonly extensions?: unknown }>(value: T): Omit<T, 'extensions'> {
  const { extensions: _extensions, ...rest } = value;
  return rest;
}

/** A digest of the canonical config of a service: equal exactly when the canonical configs are. */
export function serviceConfigHash(service: Service, project: Project): string {
  return configHash(canonicalServiceConfig(service, project));
}

/** The canonical definition of a network (recorded on it to report later divergence). */
export function canonicalNetworkConfig(network: Network): CanonicalValue {
  return toCanonical(withoutExtensions(network));
}

/** The canonical definition of a volume (recorded on it to report later divergence). */
export function canonicalVolumeConfig(volume: Volume): CanonicalValue {
  return toCanonical(withoutExtensions(volume));
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The dotted paths where two canonical configs differ, in key order: `environment.MODE`,
 * `labels["com.example.tier"]`, `ports[0].published`, `command`. Maps are compared key by key;
 * lists of objects of equal length element by element; any other list is reported as a whole
 * (`command` reads better than `command[2]`). Equal inputs give `[]`.
 */
export function diffConfigs(before: unknown, after: unknown): string[] {
  const paths: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (canonicalJson(a) === canonicalJson(b)) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(a[key], b[key], childPath(path, key));
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some(isPlainObject)) {
      a.forEach((item, index) => walk(item, b[index], `${path}[${index}]`));
      return;
    }
    paths.push(path === '' ? '(everything)' : path);
  };
  walk(before, after, '');
  return paths;
}

/** Changed paths for a message: the first `max`, then how many more. */
export function formatChangedPaths(paths: readonly string[], max = 5): string {
  if (paths.length <= max) return paths.join(', ');
  return `${paths.slice(0, max).join(', ')} (+${paths.length - max} more)`;
}
