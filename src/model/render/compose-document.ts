/**
 * The Project rendered as the document `docker compose config` prints, for either output format.
 * The two formats differ the way Compose's Go structs make them differ, and we reproduce that:
 * - both: fields in Compose's struct order, map keys sorted, zero values of plain Go fields left
 *   out (an explicit `false`, `0` or `""` is omitted unless Compose holds it in a pointer),
 *   durations as Go prints them (`1m30s`), byte sizes as decimal strings;
 * - YAML: `x-*` extensions are kept everywhere; nested Go value structs that are empty are
 *   omitted;
 * - JSON: `x-*` extensions are kept only at the top level; `command` and `entrypoint` are always
 *   present (`null` when unset); Go value structs are always present, even empty (`ipam: {}`,
 *   `resources: {}`, `placement: {}`, a watch rule's `exec: {command: null}`); blkio device
 *   entries use Go's field names (`Path`, `Rate`, `Weight`).
 * Compose's final `$` -> `$$` escape is applied to the text by the printers.
 */
import type { Project } from '../types.js';
import { formatDuration } from '../durations.js';
import { jsonKeyCompare, yamlKeyCompare, type KeyCompare } from './go-key-order.js';

export type Flavor = 'json' | 'yaml';

type Kind =
  /** Go string: omitted when empty. */
  | 'string'
  /** Go bool: omitted when false. */
  | 'bool'
  /** Go pointer to a scalar: printed whenever set, even `false` or `0`. */
  | 'pointer'
  /** Go number: omitted when 0. */
  | 'number'
  /** Go Duration value: omitted when 0. */
  | 'duration'
  /** Go *Duration: printed whenever set. */
  | 'durationPointer'
  /** compose-go UnitBytes: omitted when 0, printed as a decimal string. */
  | 'bytes'
  /** Go slice of scalars: omitted when empty. */
  | 'strings'
  /** compose-go ShellCommand: `[]` is kept; JSON prints `null` when unset. */
  | 'command'
  /** Go map of scalars (null values kept): omitted when empty; keys sorted. */
  | 'map'
  /** Anything, verbatim. */
  | 'raw'
  | 'ulimits'
  | { readonly structPointer: Spec }
  | { readonly structValue: Spec }
  | { readonly structList: Spec }
  | { readonly structMap: Spec };

interface Field {
  readonly key: string;
  readonly kind: Kind;
  /** The key Go's JSON encoder uses when the struct has no json tag for the field. */
  readonly jsonKey?: string;
}

interface Spec {
  readonly fields: readonly Field[];
  /** Whether `x-*` extensions are printed inline after the fields (YAML only). */
  readonly extensions?: boolean;
}

const f = (key: string, kind: Kind, jsonKey?: string): Field => ({ key, kind, jsonKey });
const spec = (fields: Field[], extensions = false): Spec => ({ fields, extensions });

const FILE_REFERENCE = spec(
  [f('source', 'string'), f('target', 'string'), f('uid', 'string'), f('gid', 'string'), f('mode', 'pointer')],
  true,
);

const ULIMITS: Kind = 'ulimits';

const BUILD = spec(
  [
    f('context', 'string'),
    f('dockerfile', 'string'),
    f('dockerfile_inline', 'string'),
    f('entitlements', 'strings'),
    f('args', 'map'),
    f('ssh', 'strings'),
    f('labels', 'map'),
    f('cache_from', 'strings'),
    f('cache_to', 'strings'),
    f('no_cache', 'bool'),
    f('additional_contexts', 'map'),
    f('pull', 'bool'),
    f('extra_hosts', 'strings'),
    f('isolation', 'string'),
    f('network', 'string'),
    f('target', 'string'),
    f('secrets', { structList: FILE_REFERENCE }),
    f('shm_size', 'bytes'),
    f('tags', 'strings'),
    f('ulimits', ULIMITS),
    f('platforms', 'strings'),
    f('privileged', 'bool'),
  ],
  true,
);

const EXEC_HOOK = spec([
  f('command', 'command'),
  f('user', 'string'),
  f('privileged', 'bool'),
  f('working_dir', 'string'),
  f('environment', 'map'),
]);

const WATCH_RULE = spec(
  [
    f('path', 'string'),
    f('action', 'string'),
    f('target', 'string'),
    f('exec', { structValue: EXEC_HOOK }),
    f('ignore', 'strings'),
    f('include', 'strings'),
    f('initial_sync', 'bool'),
  ],
  true,
);

const DEVELOP = spec([f('watch', { structList: WATCH_RULE })], true);

const THROTTLE = spec([f('path', 'string', 'Path'), f('rate', 'bytes', 'Rate')]);

const BLKIO = spec([
  f('weight', 'number'),
  f('weight_device', { structList: spec([f('path', 'string', 'Path'), f('weight', 'number', 'Weight')]) }),
  f('device_read_bps', { structList: THROTTLE }),
  f('device_read_iops', { structList: THROTTLE }),
  f('device_write_bps', { structList: THROTTLE }),
  f('device_write_iops', { structList: THROTTLE }),
]);

const DEPENDENCY = spec([f('condition', 'string'), f('restart', 'bool'), f('required', 'pointer')], true);

const UPDATE_CONFIG = spec([
  f('parallelism', 'pointer'),
  f('delay', 'duration'),
  f('failure_action', 'string'),
  f('monitor', 'duration'),
  f('max_failure_ratio', 'number'),
  f('order', 'string'),
]);

const DEVICE_REQUEST = spec([
  f('capabilities', 'strings'),
  f('driver', 'string'),
  f('count', 'number'),
  f('device_ids', 'strings'),
  f('options', 'map'),
]);

const RESOURCE = spec(
  [
    f('cpus', 'number'),
    f('memory', 'bytes'),
    f('pids', 'number'),
    f('devices', { structList: DEVICE_REQUEST }),
    f('generic_resources', 'raw'),
  ],
  true,
);

const DEPLOY = spec(
  [
    f('mode', 'string'),
    f('replicas', 'pointer'),
    f('labels', 'map'),
    f('update_config', { structPointer: UPDATE_CONFIG }),
    f('rollback_config', { structPointer: UPDATE_CONFIG }),
    f('resources', { structValue: spec([f('limits', { structPointer: RESOURCE }), f('reservations', { structPointer: RESOURCE })]) }),
    f('restart_policy', {
      structPointer: spec([
        f('condition', 'string'),
        f('delay', 'durationPointer'),
        f('max_attempts', 'pointer'),
        f('window', 'durationPointer'),
      ]),
    }),
    f('placement', {
      structValue: spec([
        f('constraints', 'strings'),
        f('preferences', { structList: spec([f('spread', 'string')]) }),
        f('max_replicas_per_node', 'number'),
      ]),
    }),
    f('endpoint_mode', 'string'),
  ],
  true,
);

const HEALTHCHECK = spec(
  [
    f('test', 'strings'),
    f('timeout', 'durationPointer'),
    f('interval', 'durationPointer'),
    f('retries', 'pointer'),
    f('start_period', 'durationPointer'),
    f('start_interval', 'durationPointer'),
    f('disable', 'bool'),
  ],
  true,
);

const NETWORK_ATTACHMENT = spec(
  [
    f('priority', 'number'),
    f('aliases', 'strings'),
    f('ipv4_address', 'string'),
    f('ipv6_address', 'string'),
    f('link_local_ips', 'strings'),
    f('mac_address', 'string'),
    f('driver_opts', 'map'),
  ],
  true,
);

const PORT = spec(
  [
    f('name', 'string'),
    f('mode', 'string'),
    f('host_ip', 'string'),
    f('target', 'number'),
    f('published', 'string'),
    f('protocol', 'string'),
    f('app_protocol', 'string'),
  ],
  true,
);

const MOUNT = spec(
  [
    f('type', 'string'),
    f('source', 'string'),
    f('target', 'string'),
    f('read_only', 'bool'),
    f('consistency', 'string'),
    f('bind', {
      structPointer: spec([f('selinux', 'string'), f('propagation', 'string'), f('create_host_path', 'bool')]),
    }),
    f('volume', { structPointer: spec([f('nocopy', 'bool'), f('subpath', 'string')]) }),
    f('tmpfs', { structPointer: spec([f('size', 'bytes'), f('mode', 'number')]) }),
  ],
  true,
);

const SERVICE = spec(
  [
    f('profiles', 'strings'),
    f('annotations', 'map'),
    f('attach', 'pointer'),
    f('build', { structPointer: BUILD }),
    f('develop', { structPointer: DEVELOP }),
    f('blkio_config', { structPointer: BLKIO }),
    f('cap_add', 'strings'),
    f('cap_drop', 'strings'),
    f('cgroup_parent', 'string'),
    f('cgroup', 'string'),
    f('cpu_count', 'number'),
    f('cpu_percent', 'number'),
    f('cpu_period', 'number'),
    f('cpu_quota', 'number'),
    f('cpu_rt_period', 'number'),
    f('cpu_rt_runtime', 'number'),
    f('cpus', 'number'),
    f('cpuset', 'string'),
    f('cpu_shares', 'number'),
    f('command', 'command'),
    f('configs', { structList: FILE_REFERENCE }),
    f('container_name', 'string'),
    f('credential_spec', { structPointer: spec([f('config', 'string'), f('file', 'string'), f('registry', 'string')]) }),
    f('depends_on', { structMap: DEPENDENCY }),
    f('deploy', { structPointer: DEPLOY }),
    f('device_cgroup_rules', 'strings'),
    f('devices', { structList: spec([f('source', 'string'), f('target', 'string'), f('permissions', 'string')]) }),
    f('dns', 'strings'),
    f('dns_opt', 'strings'),
    f('dns_search', 'strings'),
    f('domainname', 'string'),
    f('entrypoint', 'command'),
    f('environment', 'map'),
    f('expose', 'strings'),
    f('external_links', 'strings'),
    f('extra_hosts', 'strings'),
    f('group_add', 'strings'),
    f('gpus', { structList: DEVICE_REQUEST }),
    f('hostname', 'string'),
    f('healthcheck', { structPointer: HEALTHCHECK }),
    f('image', 'string'),
    f('init', 'pointer'),
    f('ipc', 'string'),
    f('isolation', 'string'),
    f('labels', 'map'),
    f('links', 'strings'),
    f('logging', { structPointer: spec([f('driver', 'string'), f('options', 'map')], true) }),
    f('mem_limit', 'bytes'),
    f('mem_reservation', 'bytes'),
    f('memswap_limit', 'bytes'),
    f('mem_swappiness', 'bytes'),
    f('mac_address', 'string'),
    f('network_mode', 'string'),
    f('networks', { structMap: NETWORK_ATTACHMENT }),
    f('oom_kill_disable', 'bool'),
    f('oom_score_adj', 'number'),
    f('pid', 'string'),
    f('pids_limit', 'number'),
    f('platform', 'string'),
    f('ports', { structList: PORT }),
    f('privileged', 'bool'),
    f('pull_policy', 'string'),
    f('read_only', 'bool'),
    f('restart', 'string'),
    f('runtime', 'string'),
    f('scale', 'pointer'),
    f('secrets', { structList: FILE_REFERENCE }),
    f('security_opt', 'strings'),
    f('shm_size', 'bytes'),
    f('stdin_open', 'bool'),
    f('stop_grace_period', 'durationPointer'),
    f('stop_signal', 'string'),
    f('storage_opt', 'map'),
    f('sysctls', 'map'),
    f('tmpfs', 'strings'),
    f('tty', 'bool'),
    f('ulimits', ULIMITS),
    f('user', 'string'),
    f('userns_mode', 'string'),
    f('uts', 'string'),
    f('volume_driver', 'string'),
    f('volumes', { structList: MOUNT }),
    f('volumes_from', 'strings'),
    f('working_dir', 'string'),
    f('post_start', { structList: EXEC_HOOK }),
    f('pre_stop', { structList: EXEC_HOOK }),
  ],
  true,
);

const NETWORK = spec(
  [
    f('name', 'string'),
    f('driver', 'string'),
    f('driver_opts', 'map'),
    // Compose 2.26 has no field for `ipam.options`: it is dropped from the output.
    f('ipam', {
      structValue: spec([
        f('driver', 'string'),
        f('config', {
          structList: spec([
            f('subnet', 'string'),
            f('gateway', 'string'),
            f('ip_range', 'string'),
            f('aux_addresses', 'map'),
          ]),
        }),
      ]),
    }),
    f('external', 'bool'),
    f('internal', 'bool'),
    f('attachable', 'bool'),
    f('labels', 'map'),
    f('enable_ipv6', 'bool'),
  ],
  true,
);

const VOLUME = spec(
  [f('name', 'string'), f('driver', 'string'), f('driver_opts', 'map'), f('external', 'bool'), f('labels', 'map')],
  true,
);

const SECRET_OR_CONFIG = spec(
  [
    f('name', 'string'),
    f('file', 'string'),
    f('environment', 'string'),
    f('content', 'string'),
    f('external', 'bool'),
    f('labels', 'map'),
    f('driver', 'string'),
    f('driver_opts', 'map'),
    f('template_driver', 'string'),
  ],
  true,
);

/** What Compose prints for the project, as plain data in the printed key order. */
export function composeDocument(project: Project, flavor: Flavor): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(project.services).sort(keyOrder(flavor))) {
    services[name] = renderStruct(project.services[name], SERVICE, flavor);
  }
  const sections: [string, unknown][] = [
    ['name', project.name],
    ['services', services],
    ['networks', renderMapOf(project.networks, NETWORK, flavor)],
    ['volumes', renderMapOf(project.volumes, VOLUME, flavor)],
    ['secrets', renderMapOf(project.secrets, SECRET_OR_CONFIG, flavor)],
    ['configs', renderMapOf(project.configs, SECRET_OR_CONFIG, flavor)],
    ...Object.entries(sortedDeep(project.extensions, keyOrder(flavor)) as Record<string, unknown>),
  ];
  const document: Record<string, unknown> = {};
  // Compose builds its JSON from a map, so the top level comes out sorted.
  if (flavor === 'json') sections.sort(([a], [b]) => jsonKeyCompare(a, b));
  for (const [key, value] of sections) {
    if (key === 'services' || key === 'name' || key.startsWith('x-')) document[key] = value;
    else if (value !== undefined) document[key] = value;
  }
  return document;
}

/** One service as `config --format json` prints it: Compose's JSON of its ServiceConfig struct. */
export function composeServiceJsonObject(service: unknown): Record<string, unknown> {
  return renderStruct(service, SERVICE, 'json');
}

function renderMapOf(
  record: Readonly<Record<string, unknown>>,
  shape: Spec,
  flavor: Flavor,
): Record<string, unknown> | undefined {
  const keys = Object.keys(record).sort(keyOrder(flavor));
  if (keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = record[key] === null ? null : renderStruct(record[key], shape, flavor);
  return out;
}

/**
 * Per shape and flavor, whether each field prints something even when its value is absent
 * (`command: null` in JSON, Go value structs). The others are skipped without a call when
 * absent: a service has ~90 fields of which a project sets a dozen.
 */
const printedWhenAbsent: Record<Flavor, WeakMap<Spec, readonly boolean[]>> = { json: new WeakMap(), yaml: new WeakMap() };

function fieldsPrintedWhenAbsent(shape: Spec, flavor: Flavor): readonly boolean[] {
  let printed = printedWhenAbsent[flavor].get(shape);
  if (!printed) {
    printed = shape.fields.map((field) => renderField(undefined, field.kind, flavor) !== undefined);
    printedWhenAbsent[flavor].set(shape, printed);
  }
  return printed;
}

function renderStruct(value: unknown, shape: Spec, flavor: Flavor): Record<string, unknown> {
  const source = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const printed = fieldsPrintedWhenAbsent(shape, flavor);
  const { fields } = shape;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const value = source[field.key];
    if (value === undefined && !printed[i]) continue;
    const rendered = renderField(value, field.kind, flavor);
    if (rendered !== undefined) out[flavor === 'json' ? (field.jsonKey ?? field.key) : field.key] = rendered;
  }
  if (shape.extensions && flavor === 'yaml') {
    const extensions = sortedDeep(source.extensions ?? {}, keyOrder(flavor)) as Record<string, unknown>;
    for (const [key, entry] of Object.entries(extensions)) out[key] = entry;
  }
  return out;
}

function renderField(value: unknown, kind: Kind, flavor: Flavor): unknown {
  switch (kind) {
    case 'string':
      return value === undefined || value === '' ? undefined : value;
    case 'bool':
      return value === true ? true : undefined;
    case 'pointer':
      return value;
    case 'raw':
      return sortedDeep(value, keyOrder(flavor));
    case 'number':
      return value === undefined || value === 0 ? undefined : value;
    case 'duration':
      return value === undefined || value === 0 ? undefined : formatDuration(value as number);
    case 'durationPointer':
      return value === undefined ? undefined : formatDuration(value as number);
    case 'bytes':
      return value === undefined || value === 0 ? undefined : String(value);
    case 'strings':
      return Array.isArray(value) && value.length > 0 ? value : undefined;
    case 'command':
      if (value === undefined) return flavor === 'json' ? null : undefined;
      return value;
    case 'map':
      return renderScalarMap(value, keyOrder(flavor));
    case 'ulimits':
      return renderUlimits(value, keyOrder(flavor));
  }
  if ('structPointer' in kind) return value === undefined ? undefined : renderStruct(value, kind.structPointer, flavor);
  if ('structValue' in kind) {
    const rendered = renderStruct(value, kind.structValue, flavor);
    return flavor === 'json' || Object.keys(rendered).length > 0 ? rendered : undefined;
  }
  if ('structList' in kind) {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    return value.map((item) => renderStruct(item, kind.structList, flavor));
  }
  return renderMapOf((value ?? {}) as Record<string, unknown>, kind.structMap, flavor);
}

function renderScalarMap(value: unknown, order: KeyCompare): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const keys = Object.keys(value).sort(order);
  if (keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

function renderUlimits(value: unknown, order: KeyCompare): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const keys = Object.keys(value).sort(order);
  if (keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const limit = (value as Record<string, { single?: number; soft?: number; hard?: number }>)[key];
    if (limit.single !== undefined) out[key] = limit.single;
    else {
      const entry: Record<string, number> = {};
      if (limit.soft) entry.soft = limit.soft;
      if (limit.hard) entry.hard = limit.hard;
      out[key] = entry;
    }
  }
  return out;
}

export function keyOrder(flavor: Flavor): KeyCompare {
  return flavor === 'json' ? jsonKeyCompare : yamlKeyCompare;
}

/** Free-form values (extensions) are Go maps: printed with their keys sorted, at every level. */
export function sortedDeep(value: unknown, order: KeyCompare): unknown {
  if (Array.isArray(value)) return value.map((item) => sortedDeep(item, order));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(order)) out[key] = sortedDeep((value as Record<string, unknown>)[key], order);
  return out;
}
