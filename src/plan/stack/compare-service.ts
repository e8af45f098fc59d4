/**
 * Whether a service's stored spec already is the spec a deploy would send, and if not, which
 * Compose fields differ. The engine stores a spec with its defaults filled in (a 10 s stop grace
 * period, restart condition `any`, the update defaults, ...), network targets as IDs and secret
 * IDs next to their names; both sides are normalised the same way before they are compared, so
 * an unchanged file updates nothing (and the service keeps its rollback target).
 *
 * The differences are named in Compose's words (`environment.MODE`, `deploy.replicas: 2 -> 3`),
 * never with environment or label values, which may be secret.
 */
import { canonicalJson, diffConfigs } from '../../model/hash.js';
import { STACK_LABEL, STACK_LOCAL_IMAGE_LABEL } from '../../model/stack/names.js';
import type { ServiceSpec } from '../../model/stack/swarm-types.js';

const SECOND = 1e9;

/** The engine's defaults (SwarmKit's api/defaults and the engine's service conversion). */
const DEFAULT_UPDATE = { Parallelism: 1, FailureAction: 'pause', Monitor: 5 * SECOND, MaxFailureRatio: 0, Order: 'stop-first' };
const DEFAULT_RESTART = { Condition: 'any', Delay: 5 * SECOND, MaxAttempts: 0 };
const DEFAULT_STOP_GRACE_PERIOD = 10 * SECOND;

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function withDefaults<T extends Json>(value: unknown, defaults: T): T {
  const out: Json = { ...record(value) };
  for (const [key, fallback] of Object.entries(defaults)) {
    if (out[key] === undefined || out[key] === null || out[key] === '' || (key === 'Monitor' && out[key] === 0)) out[key] = fallback;
  }
  return out as T;
}

/** Go's `omitempty` view: empty strings, zeros, false, null, empty lists and maps are the same as absent. */
function stripEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const list = value.map(stripEmpty).filter((item) => item !== undefined);
    return list.length === 0 ? undefined : list;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Json = {};
    for (const [key, entry] of Object.entries(value)) {
      const stripped = stripEmpty(entry);
      if (stripped !== undefined) out[key] = stripped;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === null || value === '' || value === 0 || value === false) return undefined;
  return value;
}

/** `replicated`, `global`, `replicated-job` or `global-job`. */
export function modeName(spec: ServiceSpec): string {
  const mode = record(spec.Mode);
  if ('Global' in mode) return 'global';
  if ('ReplicatedJob' in mode) return 'replicated-job';
  if ('GlobalJob' in mode) return 'global-job';
  return 'replicated';
}

/** A Compose-shaped, defaulted, normalised view of a spec: what is compared, and whose paths name the differences. */
export function serviceView(spec: ServiceSpec, networkNames: ReadonlyMap<string, string>): Json {
  const task = record(spec.TaskTemplate);
  const container = { ...record(task.ContainerSpec) };
  const mode = record(spec.Mode);
  const take = (object: Json, key: string): unknown => {
    const value = object[key];
    delete object[key];
    return value;
  };
  const labels = { ...record(spec.Labels) };
  delete labels[STACK_LABEL.namespace];
  delete labels[STACK_LABEL.image];
  const containerLabels = { ...record(take(container, 'Labels')) };
  delete containerLabels[STACK_LABEL.namespace];
  const localImage = containerLabels[STACK_LOCAL_IMAGE_LABEL];
  delete containerLabels[STACK_LOCAL_IMAGE_LABEL];
  const endpoint = record(spec.EndpointSpec);
  const job = record(mode.ReplicatedJob);
  const view: Json = {
    image: take(container, 'Image'),
    local_image_id: localImage,
    entrypoint: take(container, 'Command'),
    command: take(container, 'Args'),
    environment: environmentMap(take(container, 'Env')),
    labels: containerLabels,
    hostname: take(container, 'Hostname'),
    working_dir: take(container, 'Dir'),
    user: take(container, 'User'),
    group_add: take(container, 'Groups'),
    init: take(container, 'Init'),
    tty: take(container, 'TTY'),
    stdin_open: take(container, 'OpenStdin'),
    read_only: take(container, 'ReadOnly'),
    volumes: take(container, 'Mounts'),
    stop_signal: take(container, 'StopSignal'),
    stop_grace_period: take(container, 'StopGracePeriod') ?? DEFAULT_STOP_GRACE_PERIOD,
    healthcheck: take(container, 'Healthcheck'),
    extra_hosts: take(container, 'Hosts'),
    dns: take(container, 'DNSConfig'),
    secrets: fileReferences(take(container, 'Secrets'), 'SecretName'),
    configs: fileReferences(take(container, 'Configs'), 'ConfigName'),
    isolation: take(container, 'Isolation') ?? 'default',
    sysctls: take(container, 'Sysctls'),
    cap_add: take(container, 'CapabilityAdd'),
    cap_drop: take(container, 'CapabilityDrop'),
    ulimits: take(container, 'Ulimits'),
    credential_spec: take(container, 'Privileges'),
    ports: (Array.isArray(endpoint.Ports) ? endpoint.Ports : []).map((port) => withDefaults(port, { Protocol: 'tcp', PublishMode: 'ingress' })),
    networks: networkMap(task.Networks, networkNames),
    logging: task.LogDriver,
    deploy: {
      mode: modeName(spec),
      replicas: 'Replicated' in mode ? (record(mode.Replicated).Replicas ?? 1) : 'ReplicatedJob' in mode ? (job.TotalCompletions ?? 1) : undefined,
      max_concurrent: 'ReplicatedJob' in mode ? (job.MaxConcurrent ?? 1) : undefined,
      labels,
      resources: task.Resources,
      restart_policy: withDefaults(task.RestartPolicy, DEFAULT_RESTART),
      placement: task.Placement,
      update_config: withDefaults(spec.UpdateConfig, DEFAULT_UPDATE),
      rollback_config: withDefaults(spec.RollbackConfig, DEFAULT_UPDATE),
      endpoint_mode: (typeof endpoint.Mode === 'string' && endpoint.Mode !== '' ? endpoint.Mode : 'vip').toLowerCase(),
    },
    // Whatever else the engine holds (set by other tools): compared too, under the engine's names.
    engine: {
      ContainerSpec: container,
      ForceUpdate: task.ForceUpdate,
      Runtime: task.Runtime === 'container' ? undefined : task.Runtime,
    },
  };
  const out = record(stripEmpty(view));
  // 0 replicas is a number worth showing ("3 -> 0"), not an absent field.
  const replicas = record(view.deploy).replicas;
  if (replicas !== undefined) out.deploy = { ...record(out.deploy), replicas };
  return out;
}

function environmentMap(value: unknown): Json | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Json = {};
  for (const entry of value) {
    if (typeof entry !== 'string') continue;
    const equals = entry.indexOf('=');
    // A bare KEY (unset) differs from KEY= (empty): keep the difference visible to the comparison.
    out[equals < 0 ? entry : entry.slice(0, equals)] = equals < 0 ? { unset: true } : entry.slice(equals + 1);
  }
  return out;
}

/** By target file: the object's name and the file's owner and mode (IDs left out: they follow the name). */
function fileReferences(value: unknown, nameKey: 'SecretName' | 'ConfigName'): Json | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Json = {};
  for (const entry of value.map(record)) {
    const file = record(entry.File);
    out[String(file.Name)] = { name: entry[nameKey], uid: file.UID, gid: file.GID, mode: file.Mode };
  }
  return out;
}

function networkMap(value: unknown, networkNames: ReadonlyMap<string, string>): Json | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Json = {};
  for (const entry of value.map(record)) {
    const target = String(entry.Target);
    const aliases = Array.isArray(entry.Aliases) ? [...(entry.Aliases as string[])].sort() : undefined;
    out[networkNames.get(target) ?? target] = { aliases, driver_opts: entry.DriverOpts };
  }
  return out;
}

/** Paths whose values may be shown in a cause (never environment, labels, commands or secrets). */
const SHOWN_VALUES = /^(image|deploy\.(mode|replicas|max_concurrent|endpoint_mode|update_config\.\w+|rollback_config\.\w+|restart_policy\.\w+)|stop_grace_period|stop_signal|user|working_dir|hostname|init|read_only|tty)$/;

/** Maps whose differences are named key by key, and the word for one key. */
const MAPS: readonly (readonly [path: readonly string[], word: string])[] = [
  [['environment'], 'environment'],
  [['labels'], 'label'],
  [['deploy', 'labels'], 'deploy label'],
  [['secrets'], 'secret'],
  [['configs'], 'config'],
  [['networks'], 'network'],
  [['sysctls'], 'sysctl'],
];

/**
 * The differences between the stored spec and the one a deploy would send, in the words of
 * `up --dry-run`, or `[]` when they are the same: `image "a:1" -> "a:2"`, `deploy.replicas 2 -> 3`,
 * `environment MODE changed, DEBUG added`, `secret token changed`, `healthcheck.interval changed`.
 */
export function serviceChanges(stored: ServiceSpec, wanted: ServiceSpec, networkNames: ReadonlyMap<string, string>): string[] {
  const before = serviceView(stored, networkNames);
  const after = serviceView(wanted, networkNames);
  if (canonicalJson(before) === canonicalJson(after)) return [];
  const changes: [order: string, text: string][] = [];
  for (const [path, word] of MAPS) {
    const text = mapChanges(take(before, path), take(after, path), word);
    if (text) changes.push([path.join('.'), text]);
  }
  for (const path of diffConfigs(before, after)) {
    const from = valueAt(before, path);
    const to = valueAt(after, path);
    changes.push([path, describe(path, from, to)]);
  }
  return changes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, text]) => text);
}

function describe(path: string, from: unknown, to: unknown): string {
  if (path === 'local_image_id') {
    if (from === undefined) return 'image: the one on this node, now recorded by its ID (a rebuild rolls the tasks)';
    return to === undefined ? 'image: now from a registry' : 'image rebuilt on this node (a new image ID)';
  }
  if (SHOWN_VALUES.test(path) && isScalar(from) && isScalar(to)) return `${path} ${show(from)} -> ${show(to)}`;
  if (from === undefined) return `${path} added`;
  if (to === undefined) return `${path} removed`;
  return `${path} changed`;
}

/** Removes the map at `path` from a view and returns it. */
function take(view: Json, path: readonly string[]): Json {
  let parent: Json = view;
  for (const key of path.slice(0, -1)) parent = record(parent[key]);
  const value = record(parent[path[path.length - 1]]);
  delete parent[path[path.length - 1]];
  return value;
}

/** `environment MODE, LEVEL changed, DEBUG added, OLD removed`, or '' when the maps are equal. */
function mapChanges(before: Json, after: Json, word: string): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = keys.filter((key) => key in before && key in after && canonicalJson(before[key]) !== canonicalJson(after[key]));
  const added = keys.filter((key) => !(key in before));
  const removed = keys.filter((key) => !(key in after));
  const parts = [
    ...(changed.length ? [`${changed.join(', ')} changed`] : []),
    ...(added.length ? [`${added.join(', ')} added`] : []),
    ...(removed.length ? [`${removed.join(', ')} removed`] : []),
  ];
  return parts.length === 0 ? '' : `${word} ${parts.join(', ')}`;
}

function isScalar(value: unknown): boolean {
  return value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
}

function show(value: unknown): string {
  if (value === undefined) return 'unset';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The value at a path diffConfigs printed (`a.b`, `a["x.y"]`, `a[0]`). */
function valueAt(root: unknown, path: string): unknown {
  const segments = path.match(/[^.[\]"]+|\["(?:[^"\\]|\\.)*"\]|\[\d+\]/g) ?? [];
  let node: unknown = root;
  for (const raw of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = raw.startsWith('["') ? (JSON.parse(raw.slice(1, -1)) as string) : raw.startsWith('[') ? Number(raw.slice(1, -1)) : raw;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
