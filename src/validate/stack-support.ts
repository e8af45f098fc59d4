/**
 * What a swarm makes of a compose file, checked on the loaded tree so each finding has its
 * position: one warning per field a swarm cannot honour (docker stack lists some of them in one
 * line and drops others silently: depends_on, service-level tmpfs, fixed addresses, a port's host
 * IP), and the problems the engine would otherwise report halfway through a deploy (replicas with
 * a global mode, a job with an update config, dnsrr with an ingress port, ...).
 */
import type { Problem } from '../errors.js';
import { formatPath, locate, type PathSegment } from '../load/located.js';
import type { LoadedProject } from '../load/types.js';
import { fileObjectNameProblem } from '../model/stack/names.js';
import { isMapping, type Mapping } from './rule.js';
import { parsePortSpec } from './syntax/port-spec.js';

export type StackInput = Pick<LoadedProject, 'tree' | 'enabledServices'>;

export interface StackFindings {
  /** Fields that have no effect on a swarm, each at its position. */
  readonly warnings: Problem[];
  /** What the engine would refuse, each at its position. */
  readonly problems: Problem[];
}

const RESOURCES = 'set resource limits and reservations with deploy.resources';

/** Service keys a swarm has no use for, and what to do instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  annotations: 'swarm tasks take no annotations',
  attach: 'only tscompose up attaches to output',
  blkio_config: 'swarm tasks have no block I/O settings',
  build: 'swarm does not build images: build and push the image first (tscompose build --push); the image is used as it is',
  cgroup: 'swarm tasks use the engine default cgroup namespace',
  cgroup_parent: 'swarm tasks use the engine default cgroup parent',
  container_name: 'swarm names the containers of a service itself (<stack>_<service>.<slot>.<task>)',
  cpu_count: RESOURCES,
  cpu_percent: RESOURCES,
  cpu_period: RESOURCES,
  cpu_quota: RESOURCES,
  cpu_rt_period: RESOURCES,
  cpu_rt_runtime: RESOURCES,
  cpu_shares: RESOURCES,
  cpus: RESOURCES,
  cpuset: RESOURCES,
  depends_on: 'swarm has no start order: all services start at once, so each must wait for (and retry) what it needs',
  develop: 'watch rules apply to tscompose watch, not to a swarm',
  device_cgroup_rules: 'swarm tasks cannot be given devices',
  devices: 'swarm tasks cannot be given devices',
  domainname: 'swarm tasks take no domain name',
  expose: 'unnecessary: services on a shared network reach each other on any port',
  external_links: 'reach other services by name on a shared network',
  gpus: 'swarm tasks cannot be given GPUs; reserve them with deploy.resources.reservations.generic_resources',
  ipc: 'swarm tasks use their own IPC namespace',
  links: 'reach other services by name on a shared network',
  mac_address: 'swarm assigns the addresses of tasks',
  mem_limit: RESOURCES,
  mem_reservation: RESOURCES,
  mem_swappiness: 'swarm tasks have no swappiness setting',
  memswap_limit: RESOURCES,
  network_mode: 'swarm services attach to networks (an external network named host gives host networking)',
  oom_kill_disable: 'swarm tasks cannot disable the OOM killer',
  pid: 'swarm tasks use their own process namespace',
  pids_limit: 'set it with deploy.resources.limits.pids',
  post_start: 'swarm has no lifecycle hooks',
  pre_stop: 'swarm has no lifecycle hooks',
  privileged: 'swarm runs no privileged tasks',
  pull_policy: 'each node pulls the image when it starts a task',
  runtime: 'swarm tasks use the engine default runtime',
  security_opt: 'swarm tasks take no security options',
  shm_size: 'swarm tasks take no shm size (mount a tmpfs at /dev/shm)',
  storage_opt: 'swarm tasks take no storage options',
  userns_mode: 'swarm tasks use the engine default user namespace',
  uts: 'swarm tasks use their own UTS namespace',
  volume_driver: 'set the driver on the top-level volume',
  volumes_from: 'share a named volume instead',
};

/** Fields that need a newer engine API than the swarm offers, by minimum version. */
const NEEDS_API: readonly { readonly path: readonly string[]; readonly version: string; readonly what: string }[] = [
  { path: ['oom_score_adj'], version: '1.46', what: 'oom_score_adj for swarm tasks' },
  { path: ['healthcheck', 'start_interval'], version: '1.44', what: 'a healthcheck start_interval for swarm tasks' },
];

const RESTART_CONDITIONS: Readonly<Record<string, string>> = { always: 'any', 'unless-stopped': 'any', 'on-failure': 'on-failure', no: 'none' };

/** Findings for the enabled services; `apiVersion` is the engine's (fields it cannot take are warned). */
export function stackFindings(input: StackInput, apiVersion: string): StackFindings {
  const warnings: Problem[] = [];
  const problems: Problem[] = [];
  const at = (list: Problem[], path: readonly PathSegment[], message: string, which: 'key' | 'value' = 'key'): void => {
    const location = locate(input.tree, path, which);
    list.push({ path: formatPath(path), message, ...(location ? { location } : {}) });
  };
  const services = isMapping(input.tree.services) ? input.tree.services : {};
  for (const name of input.enabledServices) {
    const service = services[name];
    if (!isMapping(service)) continue;
    const base: PathSegment[] = ['services', name];
    for (const key of Object.keys(service)) {
      const reason = UNSUPPORTED[key];
      if (reason !== undefined) at(warnings, [...base, key], `not supported by swarm: ${reason}`);
    }
    for (const field of NEEDS_API) {
      if (valueAt(service, field.path) !== undefined && olderThan(apiVersion, field.version)) {
        at(warnings, [...base, ...field.path], `not supported by this engine (API ${apiVersion}; ${field.what} needs ${field.version})`);
      }
    }
    restartFindings(service, base, at.bind(undefined, warnings));
    portFindings(service, base, warnings, problems, at);
    networkFindings(service, base, warnings, problems, at);
    mountFindings(service, base, apiVersion, warnings, at);
    deployFindings(service, base, problems, warnings, at);
    const credential = service.credential_spec;
    if (isMapping(credential) && credential.config !== undefined) {
      at(warnings, [...base, 'credential_spec', 'config'], 'not supported by tscompose stack: use credential_spec.file or registry');
    }
    if (service.image === undefined && service.build === undefined) at(problems, base, `service ${name} has no image: a swarm runs images, so set image:`);
  }
  for (const kind of ['secrets', 'configs'] as const) {
    const section = isMapping(input.tree[kind]) ? input.tree[kind] : {};
    for (const [key, entry] of Object.entries(section)) {
      if (!isMapping(entry) || typeof entry.name !== 'string') continue;
      const problem = fileObjectNameProblem(entry.name);
      if (problem) at(problems, [kind, key, 'name'], problem, 'value');
    }
  }
  return { warnings: byPosition(warnings), problems: byPosition(problems) };
}

/** In the order of the file (findings are collected by kind). */
function byPosition(problems: Problem[]): Problem[] {
  const key = (problem: Problem): [string, number, number] => [problem.location?.file ?? '', problem.location?.line ?? 0, problem.location?.col ?? 0];
  return [...problems].sort((a, b) => {
    const [fileA, lineA, colA] = key(a);
    const [fileB, lineB, colB] = key(b);
    return fileA.localeCompare(fileB) || lineA - lineB || colA - colB;
  });
}

type At = (list: Problem[], path: readonly PathSegment[], message: string, which?: 'key' | 'value') => void;

function restartFindings(service: Mapping, base: readonly PathSegment[], warn: (path: readonly PathSegment[], message: string) => void): void {
  if (typeof service.restart !== 'string') return;
  const path = [...base, 'restart'];
  if (isMapping(service.deploy) && service.deploy.restart_policy !== undefined) {
    warn(path, 'not used by swarm: deploy.restart_policy is');
    return;
  }
  const condition = RESTART_CONDITIONS[service.restart.split(':')[0]];
  if (condition) warn(path, `swarm has no restart: it is used as deploy.restart_policy.condition: ${condition} (write that to say so)`);
}

function portFindings(service: Mapping, base: readonly PathSegment[], warnings: Problem[], problems: Problem[], at: At): void {
  if (!Array.isArray(service.ports)) return;
  const deploy = isMapping(service.deploy) ? service.deploy : {};
  const dnsrr = typeof deploy.endpoint_mode === 'string' && deploy.endpoint_mode.toLowerCase() === 'dnsrr';
  service.ports.forEach((entry, index) => {
    const path = [...base, 'ports', index];
    let hostIp: string | undefined;
    let publishedRange = false;
    let ingress = true;
    if (typeof entry === 'string' || typeof entry === 'number') {
      const spec = parsePortSpec(String(entry));
      if (!spec.ok) return;
      hostIp = spec.hostIp;
      publishedRange = spec.published !== undefined && spec.published.end !== spec.published.start && spec.target.start === spec.target.end;
    } else if (isMapping(entry)) {
      hostIp = typeof entry.host_ip === 'string' && entry.host_ip !== '' ? entry.host_ip : undefined;
      publishedRange = typeof entry.published === 'string' && entry.published.includes('-');
      ingress = entry.mode !== 'host';
      for (const key of ['name', 'app_protocol']) {
        if (entry[key] !== undefined) at(warnings, [...path, key], 'not used by swarm');
      }
    } else return;
    if (hostIp !== undefined) at(warnings, path, `not supported by swarm: the port is published on every address, not only ${hostIp}`, 'value');
    if (publishedRange) at(warnings, path, 'not supported by swarm: a published range cannot be allocated from; its first port is published', 'value');
    if (ingress && dnsrr) {
      at(problems, path, 'a port published in ingress mode cannot be used with deploy.endpoint_mode: dnsrr: publish it with mode: host', 'value');
    }
  });
}

function networkFindings(service: Mapping, base: readonly PathSegment[], warnings: Problem[], problems: Problem[], at: At): void {
  if (!isMapping(service.networks)) return;
  for (const [key, attachment] of Object.entries(service.networks)) {
    if (key === 'ingress') at(problems, [...base, 'networks', key], 'a service cannot be attached to the ingress network: swarm routes published ports itself');
    if (!isMapping(attachment)) continue;
    for (const field of ['ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority', 'gw_priority', 'interface_name']) {
      if (attachment[field] !== undefined) at(warnings, [...base, 'networks', key, field], 'not supported by swarm: it assigns the addresses of tasks itself');
    }
  }
}

function mountFindings(service: Mapping, base: readonly PathSegment[], apiVersion: string, warnings: Problem[], at: At): void {
  if (Array.isArray(service.volumes)) {
    service.volumes.forEach((entry, index) => {
      if (!isMapping(entry)) return;
      const path = [...base, 'volumes', index];
      if (entry.type === 'cluster' || entry.type === 'image') at(warnings, [...path, 'type'], `not supported by tscompose stack: ${String(entry.type)} mounts`);
      const volume = isMapping(entry.volume) ? entry.volume : {};
      if (volume.subpath !== undefined && olderThan(apiVersion, '1.45')) {
        at(warnings, [...path, 'volume', 'subpath'], `not supported by this engine (API ${apiVersion}; volume subpaths need 1.45)`);
      }
      const bind = isMapping(entry.bind) ? entry.bind : {};
      if (bind.selinux !== undefined) at(warnings, [...path, 'bind', 'selinux'], 'not supported by swarm');
    });
  }
  if (Array.isArray(service.tmpfs)) {
    service.tmpfs.forEach((entry, index) => {
      if (typeof entry !== 'string') return;
      const options = entry.includes(':') ? entry.slice(entry.indexOf(':') + 1).split(',') : [];
      const other = options.filter((option) => !/^(size|mode)=/.test(option));
      if (other.length > 0) at(warnings, [...base, 'tmpfs', index], `only size and mode are used by swarm (not ${other.join(', ')})`, 'value');
    });
  }
}

function deployFindings(service: Mapping, base: readonly PathSegment[], problems: Problem[], warnings: Problem[], at: At): void {
  if (!isMapping(service.deploy)) return;
  const deploy = service.deploy;
  const path = [...base, 'deploy'];
  const mode = typeof deploy.mode === 'string' ? deploy.mode : 'replicated';
  if ((mode === 'global' || mode === 'global-job') && deploy.replicas !== undefined) {
    at(problems, [...path, 'replicas'], 'replicas can only be used with replicated or replicated-job mode');
  }
  if (mode === 'global' || mode === 'global-job') {
    if (service.scale !== undefined) at(problems, [...base, 'scale'], 'scale can only be used with replicated or replicated-job mode');
  }
  if (mode.endsWith('-job')) {
    for (const key of ['update_config', 'rollback_config']) {
      if (deploy[key] !== undefined) at(problems, [...path, key], 'jobs may not have an update or rollback config: a job runs to completion each time it is deployed');
    }
  }
  const update = isMapping(deploy.update_config) ? deploy.update_config : {};
  if (update.order === 'start-first' && hasHostModePort(service)) {
    at(warnings, [...path, 'update_config', 'order'], 'start-first with a host-mode port: a new task cannot start on a node where the old one still holds the port, so on a single node the update cannot proceed (use stop-first there)', 'value');
  }
  const resources = isMapping(deploy.resources) ? deploy.resources : {};
  for (const kind of ['limits', 'reservations']) {
    const entry = isMapping(resources[kind]) ? resources[kind] : {};
    if (entry.devices !== undefined) at(warnings, [...path, 'resources', kind, 'devices'], 'not supported by swarm: tasks cannot be given devices');
  }
  const reservations = isMapping(resources.reservations) ? resources.reservations : {};
  if (reservations.pids !== undefined) at(warnings, [...path, 'resources', 'reservations', 'pids'], 'not supported by swarm');
  if (isMapping(deploy.placement) && Array.isArray(deploy.placement.preferences)) {
    deploy.placement.preferences.forEach((preference, index) => {
      if (isMapping(preference) && Object.keys(preference).some((key) => key !== 'spread')) {
        at(warnings, [...path, 'placement', 'preferences', index], 'only spread preferences are supported by swarm');
      }
    });
  }
}

function hasHostModePort(service: Mapping): boolean {
  return Array.isArray(service.ports) && service.ports.some((entry) => isMapping(entry) && entry.mode === 'host' && entry.published !== undefined);
}

function valueAt(root: Mapping, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isMapping(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Whether API version `a` (`1.41`) is older than `b`. */
function olderThan(a: string, b: string): boolean {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor < bMajor || (aMajor === bMajor && aMinor < bMinor);
}
