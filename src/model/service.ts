/**
 * One service from the loader's tree to the canonical model: every attribute in long form, with
 * Compose's defaults. Cross-service work (implicit dependencies, the default network, profiles,
 * selection) happens in index.ts.
 */
import type { Logging, Service } from './types.js';
import { toBlkioConfig } from './blkio.js';
import { toBuild } from './build.js';
import { toDeploy } from './deploy.js';
import { toDependsOn } from './depends-on.js';
import { toDevelop } from './develop.js';
import { toDevices } from './devices.js';
import { parseDuration } from './durations.js';
import { labelMapping, resolveEnvironment } from './environment.js';
import { toExtraHosts } from './extra-hosts.js';
import { toGpus } from './gpus.js';
import { toHealthcheck } from './healthcheck.js';
import { toLifecycleHooks } from './lifecycle-hooks.js';
import { toServiceNetworks } from './networks.js';
import type { PathContext } from './paths.js';
import { toPorts } from './ports.js';
import { normalisePullPolicy } from './pull-policy.js';
import { toFileReferences } from './secrets-configs.js';
import { toCommand } from './shell-split.js';
import { parseSize } from './sizes.js';
import { toUlimits } from './ulimits.js';
import { toMounts } from './volumes.js';
import {
  compact,
  extensionsOf,
  isTree,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  stringList,
  stringMap,
  type Tree,
} from './scalars.js';

export interface ServiceContext {
  readonly paths: PathContext;
  /** Shell + .env variables: for valueless `environment` entries and build args. */
  readonly environment: Readonly<Record<string, string>>;
}

/** Present-and-not-null: Compose treats `key:` (null) like an absent key. */
function given(raw: Tree, key: string): boolean {
  return raw[key] !== undefined && raw[key] !== null;
}

export function toService(name: string, value: unknown, context: ServiceContext): Service {
  const raw = isTree(value) ? value : {};
  const has = (key: string): boolean => given(raw, key);
  const list = (key: string): string[] | undefined => (has(key) ? stringList(raw[key]) : undefined);
  // Go's omitempty: an empty string (`container_name: ${UNSET}`) means the same as no value.
  const text = (key: string): string | undefined => optionalString(raw[key]) || undefined;
  const bool = (key: string): boolean | undefined => optionalBoolean(raw[key]);
  const integer = (key: string): number | undefined => optionalInteger(raw[key]);
  const labels = (key: string): Record<string, string> | undefined => (has(key) ? labelMapping(raw[key]) : undefined);

  const deploy = toDeploy(raw.deploy);
  const scale = integer('scale');

  return compact({
    name,
    profiles: list('profiles'),
    annotations: labels('annotations'),
    attach: bool('attach'),
    build: has('build') ? toBuild(raw.build, context.paths, context.environment) : undefined,
    develop: toDevelop(raw.develop, context.paths),
    blkio_config: toBlkioConfig(raw.blkio_config),
    cap_add: list('cap_add'),
    cap_drop: list('cap_drop'),
    cgroup_parent: text('cgroup_parent'),
    cgroup: text('cgroup'),
    cpu_count: integer('cpu_count'),
    cpu_percent: optionalNumber(raw.cpu_percent),
    cpu_period: integer('cpu_period'),
    cpu_quota: integer('cpu_quota'),
    cpu_rt_period: integer('cpu_rt_period'),
    cpu_rt_runtime: integer('cpu_rt_runtime'),
    cpus: optionalNumber(raw.cpus),
    cpuset: text('cpuset'),
    cpu_shares: integer('cpu_shares'),
    command: toCommand(raw.command),
    configs: has('configs') ? toFileReferences(raw.configs, 'config') : undefined,
    container_name: text('container_name'),
    credential_spec: isTree(raw.credential_spec)
      ? compact({
          config: optionalString(raw.credential_spec.config),
          file: optionalString(raw.credential_spec.file),
          registry: optionalString(raw.credential_spec.registry),
        })
      : undefined,
    depends_on: has('depends_on') ? toDependsOn(raw.depends_on) : undefined,
    // `scale` and `deploy.replicas` must agree (validated); Compose mirrors scale into deploy.
    deploy: deploy && scale !== undefined ? { ...deploy, replicas: scale } : deploy,
    device_cgroup_rules: list('device_cgroup_rules'),
    devices: has('devices') ? toDevices(raw.devices) : undefined,
    dns: list('dns'),
    dns_opt: list('dns_opt'),
    dns_search: list('dns_search'),
    domainname: text('domainname'),
    entrypoint: toCommand(raw.entrypoint),
    environment: has('environment') ? resolveEnvironment(raw.environment, context.environment) : undefined,
    expose: list('expose'),
    external_links: list('external_links'),
    extra_hosts: has('extra_hosts') ? toExtraHosts(raw.extra_hosts) : undefined,
    group_add: list('group_add'),
    gpus: toGpus(raw.gpus),
    hostname: text('hostname'),
    healthcheck: toHealthcheck(raw.healthcheck),
    image: text('image'),
    init: bool('init'),
    ipc: text('ipc'),
    isolation: text('isolation'),
    labels: labels('labels'),
    links: list('links'),
    logging: toLogging(raw.logging),
    mem_limit: parseSize(raw.mem_limit),
    mem_reservation: parseSize(raw.mem_reservation),
    memswap_limit: parseSize(raw.memswap_limit),
    mem_swappiness: integer('mem_swappiness'),
    mac_address: text('mac_address'),
    network_mode: text('network_mode'),
    networks: has('networks') ? toServiceNetworks(raw.networks) : undefined,
    oom_kill_disable: bool('oom_kill_disable'),
    oom_score_adj: integer('oom_score_adj'),
    pid: text('pid'),
    pids_limit: integer('pids_limit'),
    platform: text('platform'),
    ports: has('ports') ? toPorts(raw.ports) : undefined,
    privileged: bool('privileged'),
    pull_policy: normalisePullPolicy(text('pull_policy')),
    read_only: bool('read_only'),
    restart: text('restart'),
    runtime: text('runtime'),
    scale,
    secrets: has('secrets') ? toFileReferences(raw.secrets, 'secret') : undefined,
    security_opt: list('security_opt'),
    shm_size: parseSize(raw.shm_size),
    stdin_open: bool('stdin_open'),
    stop_grace_period: parseDuration(raw.stop_grace_period),
    stop_signal: text('stop_signal'),
    storage_opt: stringMap(raw.storage_opt),
    sysctls: labels('sysctls'),
    tmpfs: list('tmpfs'),
    tty: bool('tty'),
    ulimits: has('ulimits') ? toUlimits(raw.ulimits) : undefined,
    user: text('user'),
    userns_mode: text('userns_mode'),
    uts: text('uts'),
    volume_driver: text('volume_driver'),
    volumes: has('volumes') ? toMounts(raw.volumes, context.paths) : undefined,
    volumes_from: list('volumes_from'),
    working_dir: text('working_dir'),
    post_start: toLifecycleHooks(raw.post_start),
    pre_stop: toLifecycleHooks(raw.pre_stop),
    extensions: extensionsOf(raw),
  });
}

function toLogging(value: unknown): Logging | undefined {
  if (!isTree(value)) return undefined;
  return compact({ driver: optionalString(value.driver), options: stringMap(value.options), extensions: extensionsOf(value) });
}
