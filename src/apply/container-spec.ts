/**
 * Pure: maps one service replica of the model to the engine's container-create request, the
 * networks to connect after create, and the files to copy in before start. No engine calls, no
 * file system (a seccomp profile is read through the function passed in), so every mapping rule is
 * unit-tested in isolation and checked against what Docker Compose 2.26 creates (`docker inspect`).
 *
 * Where Compose and the Engine API disagree on how to say something, Compose's choice is kept so
 * containers inspect the same: bind mounts that may create their host path go through `Binds`
 * (the Mount API cannot create it before API 1.42), everything else through `Mounts`; the first
 * network is given at create time and the others are connected before start (engines before API
 * 1.44 accept only one endpoint at create).
 */
import { ConfigError, InternalError, type Problem } from '../errors.js';
import type { Device, FileReference, Healthcheck, Mount, NetworkAttachment, Project, Service } from '../model/types.js';
import type { InheritedVolume } from '../plan/plan.js';
import type { ContainerFile } from './container-files.js';
import type {
  ContainerCreateRequest,
  DeviceRequest,
  EndpointSettings,
  HealthConfig,
  HostConfig,
  MountSpec,
  PortBinding,
  ThrottleDevice,
} from './engine.js';

export interface ContainerSpecInput {
  readonly project: Pick<Project, 'name' | 'workingDir' | 'networks' | 'volumes' | 'secrets' | 'configs'>;
  readonly service: Service;
  /** Replica number (1-based); used by legacy links. */
  readonly number: number;
  /** The name to create under: the final name, or a replacement's temporary name (the plan's `name`). */
  readonly name: string;
  /** The container's identity (`container_name` or `<project>-<service>-<n>`): its first network alias. */
  readonly finalName: string;
  /** Identity labels (model/labels.ts); they win over the service's own labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The image to create from; default `image:` or `<project>-<service>`. */
  readonly image?: string;
  /** Where `environment:` secrets and configs take their content from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Names of the current containers of a service, first replica first (network_mode/ipc/pid `service:x`, links, volumes_from). */
  readonly containersOf: (service: string) => readonly string[];
  /** Anonymous volumes of the replaced container to mount again at their paths (decided by the plan). */
  readonly inheritVolumes?: readonly InheritedVolume[];
  /** Service name and `aliases` on every network; false for one-off containers (`run` without --use-aliases). */
  readonly useNetworkAliases?: boolean;
  /** Reads a seccomp profile named in `security_opt`; absolute path. */
  readonly readFile?: (path: string) => string;
}

export interface NetworkConnection {
  /** Engine network name. */
  readonly network: string;
  readonly endpoint: EndpointSettings;
}

export interface ContainerSpec {
  readonly create: ContainerCreateRequest;
  /** Networks after the first: connect them after create, before start. */
  readonly connect: readonly NetworkConnection[];
  /** Secrets and configs given by `environment:` or `content:`: copy them in before start. */
  readonly files: readonly ContainerFile[];
  /** Settings that are accepted but have no effect, said once each. */
  readonly warnings: readonly string[];
}

/**
 * What validation refuses before anything touches the engine (validate/rules, validateForEngine):
 * meeting it here is a bug in tscompose, not a problem of the user's file.
 */
function refusedByValidation(service: string, field: string, message: string): never {
  throw new InternalError(`services.${service}.${field}: ${message}; validation should have refused it before up`);
}

/** Collects every problem of one service that only the engine's state shows, so the user sees them all at once. */
class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly service: string) {}
  add(field: string, message: string, hint?: string): void {
    this.list.push({ path: `services.${this.service}.${field}`, message, ...(hint ? { hint } : {}) });
  }
}

/** Loosely typed views of model fields whose shape is still being refined upstream. */
interface BlkioView {
  readonly weight?: number;
  readonly weight_device?: readonly { readonly path: string; readonly weight: number }[];
  readonly device_read_bps?: readonly { readonly path: string; readonly rate: number }[];
  readonly device_read_iops?: readonly { readonly path: string; readonly rate: number }[];
  readonly device_write_bps?: readonly { readonly path: string; readonly rate: number }[];
  readonly device_write_iops?: readonly { readonly path: string; readonly rate: number }[];
}

interface DeviceRequestView {
  readonly capabilities?: readonly string[];
  readonly driver?: string;
  readonly count?: number | string;
  readonly device_ids?: readonly string[];
  readonly options?: Readonly<Record<string, string>>;
}

const SECRETS_DIR = '/run/secrets';
const DEFAULT_FILE_MODE = 0o444;

/**
 * Builds the container spec for one replica. Throws a ConfigError listing every problem (a named
 * pipe mount, an unknown network, an unset secret variable, ...).
 */
export function toContainerSpec(input: ContainerSpecInput): ContainerSpec {
  const { service } = input;
  const problems = new Problems(service.name);
  const warnings: string[] = [];

  const mounts = mapMounts(input, problems);
  const secrets = mapSecretsAndConfigs(input, problems, warnings);
  const networking = mapNetworking(input, problems);
  const security = mapSecurityOpts(input, problems);
  if (service.credential_spec) warnings.push(`service "${service.name}": credential_spec applies to Windows containers only; ignored`);

  // Secrets and configs never shadow a volume mounted at the same path (Compose's rule).
  const taken = new Set([...mounts.binds.map(bindTarget), ...mounts.mounts.map((mount) => mount.Target)]);
  const secretMounts = secrets.mounts.filter((mount) => !taken.has(mount.Target));

  const hostConfig: HostConfig = defined({
    Binds: nonEmpty(mounts.binds),
    Mounts: nonEmpty([...mounts.mounts, ...secretMounts]),
    Tmpfs: mapTmpfs(service.tmpfs),
    VolumesFrom: nonEmpty(mapVolumesFrom(input, problems)),
    VolumeDriver: service.volume_driver,
    NetworkMode: networking.networkMode,
    // Always sent, even empty, as Compose does: containers then inspect the same.
    PortBindings: mapPortBindings(service),
    Links: nonEmpty(networking.links),
    Dns: copy(service.dns),
    DnsOptions: copy(service.dns_opt),
    DnsSearch: copy(service.dns_search),
    ExtraHosts: (service.extra_hosts ?? []).map(toEngineExtraHost),
    RestartPolicy: mapRestartPolicy(service),
    CapAdd: copy(service.cap_add),
    CapDrop: copy(service.cap_drop),
    SecurityOpt: nonEmpty(security.options),
    ...(security.unconfinedPaths ? { MaskedPaths: [], ReadonlyPaths: [] } : {}),
    Privileged: service.privileged,
    ReadonlyRootfs: service.read_only,
    Init: service.init,
    GroupAdd: copy(service.group_add),
    IpcMode: resolveSharedNamespace('ipc', service.ipc, input, problems),
    PidMode: resolveSharedNamespace('pid', service.pid, input, problems),
    UTSMode: service.uts,
    UsernsMode: service.userns_mode,
    CgroupnsMode: service.cgroup,
    CgroupParent: service.cgroup_parent,
    Isolation: service.isolation,
    Runtime: service.runtime,
    StorageOpt: service.storage_opt,
    Sysctls: service.sysctls,
    LogConfig: service.logging ? defined({ Type: service.logging.driver, Config: service.logging.options }) : undefined,
    ShmSize: service.shm_size,
    OomScoreAdj: service.oom_score_adj,
    Annotations: service.annotations,
    ...mapResources(service),
  });

  const image = input.image ?? service.image ?? `${input.project.name}-${service.name}`;
  const create: ContainerCreateRequest = {
    name: input.name,
    ...(service.platform ? { platform: service.platform } : {}),
    config: defined({
      Image: image,
      Hostname: service.hostname,
      Domainname: service.domainname,
      User: service.user,
      AttachStdout: true,
      AttachStderr: true,
      Tty: service.tty,
      OpenStdin: service.stdin_open,
      ExposedPorts: mapExposedPorts(service),
      Env: mapEnvironment(service.environment),
      // `[]` means "explicitly empty" and must reach the engine as such (it clears the image's entrypoint).
      Cmd: shellWords(service.command),
      Entrypoint: shellWords(service.entrypoint),
      WorkingDir: service.working_dir,
      Labels: { ...service.labels, ...input.labels },
      Healthcheck: mapHealthcheck(service.healthcheck),
      StopSignal: service.stop_signal,
      StopTimeout: service.stop_grace_period === undefined ? undefined : Math.trunc(service.stop_grace_period / 1e9),
      MacAddress: networking.macAddress,
      NetworkDisabled: networking.disabled || undefined,
      HostConfig: hostConfig,
      NetworkingConfig: networking.primary ? { EndpointsConfig: { [networking.primary.network]: networking.primary.endpoint } } : undefined,
    }),
  };

  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return { create, connect: networking.others, files: secrets.files, warnings };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Drops undefined-valued keys, so the request (and a test's expectation) holds only what was set. */
function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function copy<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list ? [...list] : undefined;
}

/** Absent stays absent (the image's value); the model's `null` (an older draft's "explicitly empty") becomes `[]`. */
function shellWords(words: readonly string[] | null | undefined): readonly string[] | undefined {
  if (words === undefined) return undefined;
  return words === null ? [] : [...words];
}

function bindTarget(bind: string): string {
  // `source:target[:options]`; the source is an absolute host path without ':' on Linux.
  return bind.split(':')[1] ?? '';
}

/** Compose prints `host=ip`; the engine takes `host:ip`. */
export function toEngineExtraHost(entry: string): string {
  const separator = entry.indexOf('=');
  return separator < 0 ? entry : `${entry.slice(0, separator)}:${entry.slice(separator + 1)}`;
}

// ---------------------------------------------------------------------------------------------
// Environment, healthcheck, restart

/** `KEY=value` entries for the engine (containers and execs alike); a `null` value is a bare `KEY`. */
export function mapEnvironment(environment: Readonly<Record<string, string | null>> | undefined): readonly string[] | undefined {
  if (!environment) return undefined;
  // A variable listed without a value and unset where tscompose runs is sent as a bare `KEY`, as
  // Compose does: the engine then leaves it unset in the container, even over the image's ENV.
  return Object.entries(environment).map(([key, value]) => (value === null ? key : `${key}=${value}`));
}

function mapHealthcheck(healthcheck: Healthcheck | undefined): HealthConfig | undefined {
  if (!healthcheck) return undefined;
  if (healthcheck.disable || healthcheck.test?.[0] === 'NONE') return { Test: ['NONE'] };
  return defined({
    Test: copy(healthcheck.test),
    Interval: healthcheck.interval,
    Timeout: healthcheck.timeout,
    StartPeriod: healthcheck.start_period,
    StartInterval: healthcheck.start_interval,
    Retries: healthcheck.retries,
  });
}

const RESTART_CONDITIONS: Readonly<Record<string, string>> = { none: 'no', no: 'no', 'on-failure': 'on-failure', 'unless-stopped': 'unless-stopped', any: 'always', always: 'always' };

/** `restart:` (`no`, `always`, `on-failure[:N]`, `unless-stopped`); `deploy.restart_policy` wins, as in Compose. */
function mapRestartPolicy(service: Service): HostConfig['RestartPolicy'] {
  const policy = service.deploy?.restart_policy;
  if (policy) {
    const name = RESTART_CONDITIONS[policy.condition ?? 'any'] ?? policy.condition ?? 'always';
    return defined({ Name: name, MaximumRetryCount: policy.max_attempts });
  }
  if (!service.restart) return undefined;
  const [condition, attempts] = service.restart.split(':');
  const name = RESTART_CONDITIONS[condition] ?? condition;
  return attempts === undefined ? { Name: name } : { Name: name, MaximumRetryCount: Number(attempts) };
}

// ---------------------------------------------------------------------------------------------
// Ports

function portKey(target: number | string, protocol: string | undefined): string {
  return `${target}/${protocol || 'tcp'}`;
}

/** `expose` entries (ranges expanded) plus every published port's target. */
function mapExposedPorts(service: Service): Record<string, Record<string, never>> | undefined {
  const exposed: Record<string, Record<string, never>> = {};
  for (const entry of service.expose ?? []) {
    const [range, protocol] = entry.split('/');
    const [first, last] = range.split('-').map(Number);
    if (last === undefined || Number.isNaN(first) || Number.isNaN(last)) {
      // Kept as written (`7000` stays `7000`), as Compose does.
      exposed[entry] = {};
    } else {
      for (let port = first; port <= last; port++) exposed[protocol ? `${port}/${protocol}` : String(port)] = {};
    }
  }
  for (const port of service.ports ?? []) exposed[portKey(port.target, port.protocol)] = {};
  return Object.keys(exposed).length > 0 ? exposed : undefined;
}

/** One binding per published port; an absent `published` lets the engine pick an ephemeral port. */
function mapPortBindings(service: Service): Record<string, PortBinding[]> {
  const bindings: Record<string, PortBinding[]> = {};
  for (const port of service.ports ?? []) {
    const key = portKey(port.target, port.protocol);
    (bindings[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  return bindings;
}

// ---------------------------------------------------------------------------------------------
// Mounts

interface MappedMounts {
  readonly binds: string[];
  readonly mounts: MountSpec[];
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function mapMounts(input: ContainerSpecInput, problems: Problems): MappedMounts {
  const binds: string[] = [];
  const mounts: MountSpec[] = [];
  const inherited = new Map((input.inheritVolumes ?? []).map((entry) => [withoutTrailingSlash(entry.target), entry.volume]));
  const declared = new Set<string>();
  (input.service.volumes ?? []).forEach((mount, index) => {
    declared.add(withoutTrailingSlash(mount.target));
    const field = `volumes[${index}]`;
    switch (mount.type) {
      case 'bind':
        if (!mount.source) refusedByValidation(input.service.name, field, 'a bind mount needs a source path');
        else if (usesBindsApi(mount)) binds.push(bindString(mount.source, mount));
        else mounts.push(bindMount(mount.source, mount));
        break;
      case 'volume': {
        const source = mount.source
          ? (input.project.volumes[mount.source]?.name ?? mount.source)
          : inherited.get(withoutTrailingSlash(mount.target));
        mounts.push(
          defined({
            Type: 'volume' as const,
            Source: source,
            Target: mount.target,
            ReadOnly: mount.read_only || undefined,
            Consistency: mount.consistency,
            VolumeOptions: defined({ NoCopy: mount.volume?.nocopy, Subpath: mount.volume?.subpath }),
          }),
        );
        break;
      }
      case 'tmpfs':
        mounts.push(
          defined({
            Type: 'tmpfs' as const,
            Target: mount.target,
            ReadOnly: mount.read_only || undefined,
            TmpfsOptions: mount.tmpfs ? defined({ SizeBytes: mount.tmpfs.size, Mode: mount.tmpfs.mode }) : undefined,
          }),
        );
        break;
      case 'image':
        mounts.push(defined({ Type: 'image' as const, Source: mount.source, Target: mount.target, ReadOnly: mount.read_only || undefined }));
        break;
      case 'npipe':
        return refusedByValidation(input.service.name, field, 'named pipe mounts (type: npipe) only work with Windows engines');
      case 'cluster':
        return refusedByValidation(input.service.name, field, 'cluster volumes (type: cluster) need Swarm mode');
    }
  });
  // Volumes the image declares (VOLUME) and the service does not mount: keep the replaced container's data.
  for (const [target, volume] of inherited) {
    if (!declared.has(target)) mounts.push({ Type: 'volume', Source: volume, Target: target, VolumeOptions: {} });
  }
  return { binds, mounts };
}

/**
 * The Binds API creates a missing host path (create_host_path, on by default); the Mount API
 * cannot before API 1.42, so it is used only when creation is off or propagation is set.
 */
function usesBindsApi(mount: Mount): boolean {
  return mount.bind?.create_host_path !== false && !mount.bind?.propagation;
}

function bindString(source: string, mount: Mount): string {
  const options = [mount.read_only ? 'ro' : 'rw'];
  if (mount.bind?.selinux) options.push(mount.bind.selinux);
  return `${source}:${mount.target}:${options.join(',')}`;
}

function bindMount(source: string, mount: Mount): MountSpec {
  return defined({
    Type: 'bind' as const,
    Source: source,
    Target: mount.target,
    ReadOnly: mount.read_only || undefined,
    Consistency: mount.consistency,
    BindOptions: defined({
      Propagation: mount.bind?.propagation,
      // Honoured from API 1.42; older engines ignore it (and fail on a missing path, as Compose does).
      CreateMountpoint: mount.bind?.create_host_path === false ? undefined : true,
    }),
  });
}

/** `tmpfs: ["/run:size=64k"]` -> `{"/run": "size=64k"}`. */
function mapTmpfs(entries: readonly string[] | undefined): Record<string, string> | undefined {
  if (!entries || entries.length === 0) return undefined;
  const tmpfs: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    if (separator < 0) tmpfs[entry] = '';
    else tmpfs[entry.slice(0, separator)] = entry.slice(separator + 1);
  }
  return tmpfs;
}

/** `service[:ro|rw]` becomes the service's first container; `container:name[:mode]` is taken as is. */
function mapVolumesFrom(input: ContainerSpecInput, problems: Problems): string[] | undefined {
  if (!input.service.volumes_from) return undefined;
  const resolved: string[] = [];
  input.service.volumes_from.forEach((entry, index) => {
    const parts = entry.split(':');
    if (parts[0] === 'container') {
      resolved.push(parts.slice(1).join(':'));
      return;
    }
    const [serviceName, mode] = parts;
    const container = input.containersOf(serviceName)[0];
    if (!container) {
      problems.add(`volumes_from[${index}]`, `service "${serviceName}" has no container to take volumes from`, `create "${serviceName}" first`);
      return;
    }
    resolved.push(mode ? `${container}:${mode}` : container);
  });
  return resolved;
}

// ---------------------------------------------------------------------------------------------
// Secrets and configs

interface MappedSecrets {
  readonly mounts: MountSpec[];
  readonly files: ContainerFile[];
}

function mapSecretsAndConfigs(input: ContainerSpecInput, problems: Problems, warnings: string[]): MappedSecrets {
  const mounts: MountSpec[] = [];
  const files: ContainerFile[] = [];
  const kinds = [
    { kind: 'secrets', references: input.service.secrets, definitions: input.project.secrets, baseDir: SECRETS_DIR },
    { kind: 'configs', references: input.service.configs, definitions: input.project.configs, baseDir: '' },
  ] as const;
  for (const { kind, references, definitions, baseDir } of kinds) {
    let warned = false;
    (references ?? []).forEach((reference, index) => {
      const field = `${kind}[${index}]`;
      const definition = definitions[reference.source];
      const singular = kind === 'secrets' ? 'secret' : 'config';
      if (!definition) refusedByValidation(input.service.name, field, `${singular} "${reference.source}" is not defined`);
      if (definition.external) refusedByValidation(input.service.name, field, `external ${kind} need Swarm mode`);
      if (definition.driver || definition.template_driver) refusedByValidation(input.service.name, field, 'driver and template_driver need Swarm mode');
      const target = targetPath(reference, baseDir);
      if (definition.file !== undefined) {
        if ((reference.uid !== undefined || reference.gid !== undefined || reference.mode !== undefined) && !warned) {
          warned = true;
          warnings.push(
            `service "${input.service.name}": ${singular} files are bind-mounted, so \`uid\`, \`gid\` and \`mode\` cannot apply to them; ` +
              'the file keeps its owner and permissions from the host',
          );
        }
        mounts.push({ Type: 'bind', Source: definition.file, Target: target, ReadOnly: true });
        return;
      }
      const content = definition.environment !== undefined ? input.env[definition.environment] : definition.content;
      if (content === undefined) {
        problems.add(
          field,
          definition.environment !== undefined
            ? `${singular} "${reference.source}" reads the environment variable ${definition.environment}, which is not set`
            : `${singular} "${reference.source}" has no file, environment or content`,
        );
        return;
      }
      const uid = ownerId(reference.uid, input.service.name, `${field}.uid`);
      const gid = ownerId(reference.gid, input.service.name, `${field}.gid`);
      files.push({ path: target, content, mode: reference.mode ?? DEFAULT_FILE_MODE, uid, gid });
    });
  }
  return { mounts, files };
}

/** Absent: `<base>/<source>`; relative: `<base>/<target>`; absolute: as given. */
function targetPath(reference: FileReference, baseDir: string): string {
  const target = reference.target ?? reference.source;
  return target.startsWith('/') ? target : `${baseDir}/${target}`;
}

function ownerId(value: string | undefined, service: string, field: string): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value)) refusedByValidation(service, field, `"${value}" is not a numeric id`);
  return Number(value);
}

// ---------------------------------------------------------------------------------------------
// Networking

interface MappedNetworking {
  readonly networkMode?: string;
  readonly disabled: boolean;
  readonly primary?: NetworkConnection;
  readonly others: NetworkConnection[];
  readonly links: string[];
  readonly macAddress?: string;
}

/** Compose's order: higher `priority` first, then by network key. */
function byPriority(attachments: Readonly<Record<string, NetworkAttachment | null>>): [string, NetworkAttachment | null][] {
  return Object.entries(attachments).sort(([keyA, a], [keyB, b]) => {
    const difference = (b?.priority ?? 0) - (a?.priority ?? 0);
    return difference !== 0 ? difference : keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
  });
}

function mapNetworking(input: ContainerSpecInput, problems: Problems): MappedNetworking {
  const { service, project } = input;
  const links = mapLinks(input);
  if (service.network_mode) {
    if (service.network_mode === 'disabled') return { networkMode: 'none', disabled: true, others: [], links, macAddress: service.mac_address };
    const mode = resolveSharedNamespace('network_mode', service.network_mode, input, problems);
    return { networkMode: mode, disabled: false, others: [], links, macAddress: service.mac_address };
  }
  const attachments = service.networks ?? (project.networks.default ? { default: null } : {});
  const ordered = byPriority(attachments);
  if (ordered.length === 0) return { networkMode: 'none', disabled: false, others: [], links, macAddress: service.mac_address };

  const connections: NetworkConnection[] = [];
  for (const [key, attachment] of ordered) {
    const network = project.networks[key];
    if (!network) refusedByValidation(service.name, `networks.${key}`, `network "${key}" is not defined`);
    connections.push({ network: network.name, endpoint: endpointSettings(input, attachment, links) });
  }
  const [primary, ...others] = connections;
  const primaryMac = ordered[0][1]?.mac_address;
  if (service.mac_address && primaryMac && service.mac_address !== primaryMac) {
    refusedByValidation(service.name, 'mac_address', `the service-level mac_address must equal the one set on network "${ordered[0][0]}"`);
  }
  return { networkMode: primary?.network, disabled: false, primary, others, links, macAddress: service.mac_address ?? primaryMac };
}

function endpointSettings(input: ContainerSpecInput, attachment: NetworkAttachment | null, links: readonly string[]): EndpointSettings {
  const aliases = input.useNetworkAliases === false ? [input.finalName] : [input.finalName, input.service.name, ...(attachment?.aliases ?? [])];
  return defined({
    Aliases: [...new Set(aliases)],
    Links: nonEmpty(links),
    // Compose sends an (often empty) IPAM config for every attachment written with options.
    IPAMConfig: attachment
      ? defined({ IPv4Address: attachment.ipv4_address, IPv6Address: attachment.ipv6_address, LinkLocalIPs: copy(attachment.link_local_ips) })
      : undefined,
    MacAddress: attachment?.mac_address,
    DriverOpts: attachment?.driver_opts,
  });
}

/**
 * Legacy links, as Compose writes them (a copy of Compose v1's behaviour): each container of the
 * linked service under the link alias, and under `<service>-<n>` and `<project>-<service>-<n>`
 * where n is this container's number. External links are `container[:alias]`.
 */
function mapLinks(input: ContainerSpecInput): string[] {
  const links: string[] = [];
  for (const link of input.service.links ?? []) {
    const [linked, alias = linked] = link.split(':');
    for (const container of input.containersOf(linked)) {
      links.push(`${container}:${alias}`, `${container}:${linked}-${input.number}`, `${container}:${input.project.name}-${linked}-${input.number}`);
    }
  }
  for (const link of input.service.external_links ?? []) {
    const [container, alias = container] = link.split(':');
    links.push(`${container}:${alias}`);
  }
  return links;
}

/** `service:x` -> `container:<x's first container>`; anything else (`host`, `container:y`, ...) as is. */
function resolveSharedNamespace(field: string, mode: string | undefined, input: ContainerSpecInput, problems: Problems): string | undefined {
  if (!mode?.startsWith('service:')) return mode;
  const target = mode.slice('service:'.length);
  const container = input.containersOf(target)[0];
  if (!container) {
    problems.add(field, `service "${target}" has no container to share its ${field === 'network_mode' ? 'network' : field} namespace with`, `create "${target}" first`);
    return undefined;
  }
  return `container:${container}`;
}

// ---------------------------------------------------------------------------------------------
// Security options

/**
 * `systempaths=unconfined` clears the masked and read-only /proc paths; a seccomp profile file is
 * sent as its JSON text, as the Docker CLI does (the engine cannot read the client's files).
 */
function mapSecurityOpts(input: ContainerSpecInput, problems: Problems): { options: string[]; unconfinedPaths: boolean } {
  const options: string[] = [];
  let unconfinedPaths = false;
  (input.service.security_opt ?? []).forEach((option, index) => {
    if (option === 'systempaths=unconfined') {
      unconfinedPaths = true;
      return;
    }
    const match = /^seccomp[=:](.*)$/.exec(option);
    if (!match || match[1] === 'unconfined' || match[1] === 'builtin') {
      options.push(option);
      return;
    }
    const path = match[1].startsWith('/') ? match[1] : `${input.project.workingDir}/${match[1]}`;
    try {
      if (!input.readFile) throw new Error('no file reader was given');
      options.push(`seccomp=${JSON.stringify(JSON.parse(input.readFile(path)))}`);
    } catch (error) {
      problems.add(`security_opt[${index}]`, `cannot use the seccomp profile ${path}: ${(error as Error).message}`);
    }
  });
  return { options, unconfinedPaths };
}

// ---------------------------------------------------------------------------------------------
// Resources

/** Nanoseconds (the model) -> microseconds (the engine's realtime scheduler fields). */
function microseconds(ns: number | undefined): number | undefined {
  return ns === undefined ? undefined : Math.round(ns / 1000);
}

function mapResources(service: Service): Partial<HostConfig> {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const devices = mapDevices(service.devices);
  // Compose's order: reserved devices, CDI devices, then gpus.
  const deviceRequests = [
    ...mapDeviceRequests(reservations?.devices as readonly DeviceRequestView[] | undefined, service.name),
    ...devices.requests,
    ...mapGpus(service.gpus),
  ];
  return defined({
    // deploy.resources wins over the service-level settings, as in Compose.
    NanoCpus: nanoCpus(limits?.cpus ?? service.cpus),
    Memory: limits?.memory ?? service.mem_limit,
    MemoryReservation: reservations?.memory ?? service.mem_reservation,
    MemorySwap: service.memswap_limit,
    MemorySwappiness: service.mem_swappiness,
    PidsLimit: limits?.pids ?? service.pids_limit,
    OomKillDisable: service.oom_kill_disable,
    CpuShares: service.cpu_shares,
    CpuQuota: service.cpu_quota,
    CpuPeriod: service.cpu_period,
    CpuRealtimePeriod: microseconds(service.cpu_rt_period),
    CpuRealtimeRuntime: microseconds(service.cpu_rt_runtime),
    CpusetCpus: service.cpuset,
    CpuCount: service.cpu_count,
    CpuPercent: service.cpu_percent,
    Ulimits: mapUlimits(service),
    Devices: nonEmpty(devices.mappings),
    DeviceCgroupRules: copy(service.device_cgroup_rules),
    DeviceRequests: nonEmpty(deviceRequests),
    ...mapBlkio(service.blkio_config as BlkioView | undefined),
  });
}

function nanoCpus(cpus: number | undefined): number | undefined {
  return cpus === undefined ? undefined : Math.round(cpus * 1e9);
}

/** Sorted by name, so the same service always gives the same request. */
function mapUlimits(service: Service): HostConfig['Ulimits'] {
  if (!service.ulimits) return undefined;
  return Object.entries(service.ulimits)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, limit]) => ({ Name: name, Soft: limit.soft ?? limit.single ?? 0, Hard: limit.hard ?? limit.single ?? 0 }));
}

/** A CDI device name (`vendor.com/class=name`) given as source and target becomes a device request. */
function mapDevices(devices: readonly Device[] | undefined): { mappings: NonNullable<HostConfig['Devices']>[number][]; requests: DeviceRequest[] } {
  const mappings: NonNullable<HostConfig['Devices']>[number][] = [];
  const cdi: string[] = [];
  for (const device of devices ?? []) {
    if (device.source === device.target && /^[^/=]+\/[^/=]+=.+$/.test(device.source)) cdi.push(device.source);
    else mappings.push({ PathOnHost: device.source, PathInContainer: device.target, CgroupPermissions: device.permissions });
  }
  return { mappings, requests: cdi.length > 0 ? [{ Driver: 'cdi', DeviceIDs: cdi }] : [] };
}

function mapDeviceRequests(devices: readonly DeviceRequestView[] | undefined, service: string): DeviceRequest[] {
  return (devices ?? []).flatMap((device, index) => {
    const count = device.count === 'all' ? -1 : device.count;
    if (count !== undefined && typeof count !== 'number') {
      refusedByValidation(service, `deploy.resources.reservations.devices[${index}].count`, `"${count}" is not a number or "all"`);
    }
    return [
      defined({
        Driver: device.driver,
        Count: count,
        DeviceIDs: copy(device.device_ids),
        Capabilities: device.capabilities ? [[...device.capabilities]] : undefined,
        Options: device.options,
      }),
    ];
  });
}

/** `gpus`: each entry is a device request that also asks for the `gpu` capability, as Compose sends it. */
function mapGpus(gpus: Service['gpus']): DeviceRequest[] {
  return (gpus ?? []).map((gpu) =>
    defined({
      Driver: gpu.driver,
      Count: gpu.count,
      DeviceIDs: copy(gpu.device_ids),
      Capabilities: [[...(gpu.capabilities ?? []), 'gpu']],
      Options: gpu.options,
    }),
  );
}

function mapBlkio(blkio: BlkioView | undefined): Partial<HostConfig> {
  if (!blkio) return {};
  const throttle = (list: readonly { path: string; rate: number }[] | undefined): ThrottleDevice[] | undefined =>
    list?.map((entry) => ({ Path: entry.path, Rate: entry.rate }));
  return defined({
    BlkioWeight: blkio.weight,
    BlkioWeightDevice: blkio.weight_device?.map((entry) => ({ Path: entry.path, Weight: entry.weight })),
    BlkioDeviceReadBps: throttle(blkio.device_read_bps),
    BlkioDeviceReadIOps: throttle(blkio.device_read_iops),
    BlkioDeviceWriteBps: throttle(blkio.device_write_bps),
    BlkioDeviceWriteIOps: throttle(blkio.device_write_iops),
  });
}
