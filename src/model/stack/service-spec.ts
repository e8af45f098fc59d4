/**
 * A service of the canonical Project -> the swarm ServiceSpec `docker stack deploy` would send,
 * field by field as docker/cli's stack converter does it (sorted lists, so an unchanged file gives
 * an identical spec), with three differences where docker stack is wrong:
 * - `restart: "no"` without `deploy.restart_policy` means condition `none` (docker sends nothing,
 *   which the engine reads as `any`);
 * - service-level `tmpfs:` entries become tmpfs mounts (docker drops them silently);
 * - `platform:` becomes a placement platform (docker rejects the key).
 * Fields swarm cannot honour are not mapped; stack-warnings.ts names each of them at its position.
 * Pure: secret and config names (content-addressed) and the image (maybe pinned) come in.
 */
import type {
  ContainerTaskSpec,
  FileObjectReference,
  ResourceSpec,
  ServiceMode,
  ServiceMount,
  ServicePort,
  ServiceSpec,
  UpdateSpec,
} from './swarm-types.js';
import { parseSize } from '../sizes.js';
import type { FileReference, Mount, Project, Resource, Service, UpdateConfig } from '../types.js';
import { STACK_LABEL, STACK_LOCAL_IMAGE_LABEL, scopedName } from './names.js';

/** The image a service runs, as chosen against the registry and the nodes (apply/stack/stack-images.ts). */
export interface ImageChoice {
  /** What ContainerSpec.Image gets: the file's image with a tag, perhaps pinned to a registry digest. */
  readonly image: string;
  /** For an image that exists only on this engine (a single-node swarm): its ID, recorded on the tasks. */
  readonly localImageId?: string;
}

export interface ServiceSpecInput {
  readonly stack: string;
  readonly service: Service;
  readonly project: Pick<Project, 'networks' | 'volumes'>;
  /** The image to run: the file's (see stackImage), perhaps pinned to a registry digest. */
  readonly image: ImageChoice;
  /** Engine names of the secrets and configs, by key. */
  readonly secretNames: Readonly<Record<string, string>>;
  readonly configNames: Readonly<Record<string, string>>;
}

/** Networks that take no aliases (the engine's own), as docker stack treats them. */
const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(['host', 'bridge', 'none']);

const SECONDS = 1e9;

/**
 * The image a service runs: `image:`, or for a service with only `build:` the name `build` gives
 * the image it builds (`<project>-<service>`); `:latest` added when there is no tag, as the
 * Docker CLI sends it.
 */
export function stackImage(service: Service, stack: string): string {
  return withDefaultTag(service.image ?? `${stack}-${service.name}`);
}

export function withDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

export function toServiceSpec(input: ServiceSpecInput): ServiceSpec {
  const { stack, service } = input;
  const deploy = service.deploy ?? {};
  const mode = serviceMode(service);
  const job = 'ReplicatedJob' in mode || 'GlobalJob' in mode;
  return defined({
    Name: scopedName(stack, service.name),
    Labels: { ...(deploy.labels ?? {}), [STACK_LABEL.namespace]: stack, [STACK_LABEL.image]: service.image ?? stackImage(service, stack) },
    TaskTemplate: defined({
      ContainerSpec: containerSpec(input),
      Resources: resources(deploy.resources),
      RestartPolicy: restartPolicy(service),
      Placement: placement(service),
      Networks: networks(input),
      LogDriver: service.logging?.driver ? defined({ Name: service.logging.driver, Options: service.logging.options }) : undefined,
    }),
    Mode: mode,
    UpdateConfig: job ? undefined : updateSpec(deploy.update_config),
    RollbackConfig: job ? undefined : updateSpec(deploy.rollback_config),
    EndpointSpec: endpointSpec(service),
  });
}

function containerSpec(input: ServiceSpecInput): ContainerTaskSpec {
  const { service, stack } = input;
  return defined({
    Image: input.image.image,
    Labels: {
      ...(service.labels ?? {}),
      [STACK_LABEL.namespace]: stack,
      // A rebuilt local image has the same tag: its new ID changes the task spec, so tasks roll.
      ...(input.image.localImageId ? { [STACK_LOCAL_IMAGE_LABEL]: input.image.localImageId } : {}),
    },
    // Swarm cannot clear the image's entrypoint or command: an empty list is the same as none.
    Command: nonEmpty(service.entrypoint),
    Args: nonEmpty(service.command),
    Hostname: service.hostname,
    Env: environment(service.environment),
    Dir: service.working_dir,
    User: service.user,
    Groups: nonEmpty(service.group_add),
    Privileges: credentialSpec(service),
    Init: service.init,
    TTY: service.tty,
    OpenStdin: service.stdin_open,
    ReadOnly: service.read_only,
    Mounts: nonEmpty(mounts(input)),
    StopSignal: service.stop_signal,
    StopGracePeriod: service.stop_grace_period,
    Healthcheck: healthcheck(service),
    Hosts: nonEmpty(service.extra_hosts?.map(hostEntry)),
    DNSConfig: dnsConfig(service),
    Secrets: nonEmpty(fileReferences(service.secrets, input.secretNames, 'secret')),
    Configs: nonEmpty(fileReferences(service.configs, input.configNames, 'config')),
    Isolation: service.isolation,
    Sysctls: nonEmptyRecord(service.sysctls),
    CapabilityAdd: nonEmpty(service.cap_add),
    CapabilityDrop: nonEmpty(service.cap_drop),
    Ulimits: nonEmpty(
      Object.entries(service.ulimits ?? {}).map(([name, limit]) => ({
        Name: name,
        Soft: limit.single ?? limit.soft ?? 0,
        Hard: limit.single ?? limit.hard ?? 0,
      })),
    ),
  });
}

/** `KEY=value` sorted; a key listed without a value (and unset in the environment) stays bare. */
function environment(env: Service['environment']): string[] | undefined {
  if (!env) return undefined;
  return nonEmpty(
    Object.keys(env)
      .sort()
      .map((key) => (env[key] === null ? key : `${key}=${env[key]}`)),
  );
}

/** The model's `host=ip` -> the engine's `ip host`. */
function hostEntry(entry: string): string {
  const separator = entry.indexOf('=');
  return separator < 0 ? entry : `${entry.slice(separator + 1)} ${entry.slice(0, separator)}`;
}

function dnsConfig(service: Service): ContainerTaskSpec['DNSConfig'] {
  const config = defined({ Nameservers: nonEmpty(service.dns), Search: nonEmpty(service.dns_search), Options: nonEmpty(service.dns_opt) });
  return Object.keys(config).length === 0 ? undefined : config;
}

function credentialSpec(service: Service): ContainerTaskSpec['Privileges'] {
  const spec = service.credential_spec;
  if (!spec || (spec.file === undefined && spec.registry === undefined)) return undefined;
  return { CredentialSpec: defined({ File: spec.file, Registry: spec.registry }) };
}

function healthcheck(service: Service): ContainerTaskSpec['Healthcheck'] {
  const check = service.healthcheck;
  if (!check) return undefined;
  if (check.disable) return { Test: ['NONE'] };
  return defined({
    Test: check.test ? [...check.test] : undefined,
    Interval: check.interval,
    Timeout: check.timeout,
    StartPeriod: check.start_period,
    Retries: check.retries,
  });
}

// ---------------------------------------------------------------------------------------------
// Mounts, secrets, configs

function mounts(input: ServiceSpecInput): ServiceMount[] {
  const out: ServiceMount[] = [];
  for (const mount of input.service.volumes ?? []) {
    const converted = toMount(mount, input);
    if (converted) out.push(converted);
  }
  for (const entry of input.service.tmpfs ?? []) out.push(tmpfsEntry(entry));
  return out;
}

function toMount(mount: Mount, input: ServiceSpecInput): ServiceMount | undefined {
  const common = { Target: mount.target, ...(mount.read_only ? { ReadOnly: true } : {}) };
  switch (mount.type) {
    case 'volume': {
      if (mount.source === undefined) return defined({ Type: 'volume' as const, ...common, VolumeOptions: mount.volume?.nocopy ? { NoCopy: true } : undefined });
      const volume = input.project.volumes[mount.source];
      const name = volume?.name ?? scopedName(input.stack, mount.source);
      const options = defined({
        NoCopy: mount.volume?.nocopy || undefined,
        // The engine on each node creates the volume when a task first mounts it, with these.
        Labels: volume?.external ? undefined : { ...(volume?.labels ?? {}), [STACK_LABEL.namespace]: input.stack },
        DriverConfig: volume && !volume.external && volume.driver ? defined({ Name: volume.driver, Options: volume.driver_opts }) : undefined,
      });
      return defined({ Type: 'volume' as const, Source: name, ...common, VolumeOptions: Object.keys(options).length > 0 ? options : undefined });
    }
    case 'bind':
    case 'npipe':
      return defined({
        Type: mount.type,
        Source: mount.source,
        ...common,
        Consistency: mount.consistency,
        BindOptions: mount.bind?.propagation ? { Propagation: mount.bind.propagation } : undefined,
      });
    case 'tmpfs':
      return defined({
        Type: 'tmpfs' as const,
        ...common,
        TmpfsOptions: mount.tmpfs ? defined({ SizeBytes: mount.tmpfs.size, Mode: mount.tmpfs.mode }) : undefined,
      });
    default:
      // cluster and image mounts need a newer engine API than swarm stacks use (warned).
      return undefined;
  }
}

/** A service-level `tmpfs: /run:size=64k,mode=1770` entry as a tmpfs mount. */
function tmpfsEntry(entry: string): ServiceMount {
  const separator = entry.indexOf(':');
  const target = separator < 0 ? entry : entry.slice(0, separator);
  const options = separator < 0 ? [] : entry.slice(separator + 1).split(',');
  let size: number | undefined;
  let mode: number | undefined;
  for (const option of options) {
    const [key, value = ''] = option.split('=');
    if (key === 'size') size = parseSize(value);
    else if (key === 'mode' && /^[0-7]+$/.test(value)) mode = parseInt(value, 8);
  }
  const tmpfs = defined({ SizeBytes: size, Mode: mode });
  return defined({ Type: 'tmpfs' as const, Target: target, TmpfsOptions: Object.keys(tmpfs).length > 0 ? tmpfs : undefined });
}

/**
 * Swarm mounts a secret whose target is relative under `/run/secrets/`, a config under `/`; the
 * model fills a secret's default target in as `/run/secrets/<source>`, which is written back as
 * the source, as docker stack sends it.
 */
function fileReferences(
  references: readonly FileReference[] | undefined,
  names: Readonly<Record<string, string>>,
  kind: 'secret' | 'config',
): FileObjectReference[] {
  const out: FileObjectReference[] = [];
  for (const reference of references ?? []) {
    const name = names[reference.source];
    if (name === undefined) continue;
    const target =
      reference.target === undefined || (kind === 'secret' && reference.target === `/run/secrets/${reference.source}`) ? reference.source : reference.target;
    const file = { Name: target, UID: reference.uid ?? '0', GID: reference.gid ?? '0', Mode: reference.mode ?? 0o444 };
    out.push(kind === 'secret' ? { File: file, SecretName: name } : { File: file, ConfigName: name });
  }
  return out.sort((a, b) => compare(`${a.SecretName ?? a.ConfigName}\0${a.File.Name}`, `${b.SecretName ?? b.ConfigName}\0${b.File.Name}`));
}

// ---------------------------------------------------------------------------------------------
// Networks and ports

function networks(input: ServiceSpecInput): ServiceSpec['TaskTemplate']['Networks'] {
  const attached = input.service.networks ?? {};
  const out = Object.entries(attached).map(([key, attachment]) => {
    const target = input.project.networks[key]?.name ?? scopedName(input.stack, key);
    const aliases = [...(attachment?.aliases ?? [])];
    // The service's own name resolves on the networks the user defined, not on the engine's own.
    if (!BUILTIN_NETWORKS.has(target)) aliases.push(input.service.name);
    return defined({ Target: target, Aliases: nonEmpty(aliases), DriverOpts: nonEmptyRecord(attachment?.driver_opts) });
  });
  return nonEmpty(out.sort((a, b) => compare(a.Target, b.Target)));
}

function endpointSpec(service: Service): ServiceSpec['EndpointSpec'] {
  const ports = (service.ports ?? []).map(toServicePort).sort(comparePorts);
  const mode = service.deploy?.endpoint_mode?.toLowerCase();
  if (ports.length === 0 && mode === undefined) return undefined;
  return defined({ Mode: mode, Ports: nonEmpty(ports) });
}

function toServicePort(port: NonNullable<Service['ports']>[number]): ServicePort {
  // A published range cannot be allocated from in swarm: its first port is used (warned).
  const published = port.published === undefined ? undefined : Number.parseInt(port.published, 10);
  return defined({
    Protocol: port.protocol || 'tcp',
    TargetPort: port.target,
    PublishedPort: published !== undefined && Number.isFinite(published) ? published : undefined,
    PublishMode: port.mode === 'host' ? 'host' : 'ingress',
  }) as ServicePort;
}

function comparePorts(a: ServicePort, b: ServicePort): number {
  return (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) || a.TargetPort - b.TargetPort || compare(a.Protocol, b.Protocol) || compare(a.PublishMode, b.PublishMode);
}

// ---------------------------------------------------------------------------------------------
// deploy

export function serviceMode(service: Service): ServiceMode {
  const replicas = service.deploy?.replicas;
  switch (service.deploy?.mode) {
    case 'global':
      return { Global: {} };
    case 'replicated-job':
      return { ReplicatedJob: { MaxConcurrent: replicas ?? 1, TotalCompletions: replicas ?? 1 } };
    case 'global-job':
      return { GlobalJob: {} };
    default:
      return { Replicated: defined({ Replicas: replicas }) };
  }
}

function resources(value: NonNullable<Service['deploy']>['resources']): ServiceSpec['TaskTemplate']['Resources'] {
  if (!value) return undefined;
  const limits = resource(value.limits, false);
  const reservations = resource(value.reservations, true);
  if (!limits && !reservations) return undefined;
  return defined({ Limits: limits, Reservations: reservations });
}

function resource(value: Resource | undefined, reservation: boolean): ResourceSpec | undefined {
  if (!value) return undefined;
  const generic = reservation ? (value.generic_resources ?? []).map(genericResource).filter((entry) => entry !== undefined) : [];
  const spec = defined({
    NanoCPUs: value.cpus === undefined ? undefined : Math.round(value.cpus * SECONDS),
    MemoryBytes: value.memory,
    Pids: reservation ? undefined : value.pids,
    GenericResources: nonEmpty(generic),
  });
  return Object.keys(spec).length === 0 ? undefined : spec;
}

function genericResource(entry: Readonly<Record<string, unknown>>): NonNullable<ResourceSpec['GenericResources']>[number] | undefined {
  const discrete = entry.discrete_resource_spec;
  if (typeof discrete !== 'object' || discrete === null) return undefined;
  const { kind, value } = discrete as { kind?: unknown; value?: unknown };
  if (typeof kind !== 'string' || typeof value !== 'number') return undefined;
  return { DiscreteResourceSpec: { Kind: kind, Value: value } };
}

/** `deploy.restart_policy`, else `restart:` (`always`/`unless-stopped` -> any, `on-failure[:N]`, `no` -> none). */
function restartPolicy(service: Service): ServiceSpec['TaskTemplate']['RestartPolicy'] {
  const policy = service.deploy?.restart_policy;
  if (policy) return defined({ Condition: policy.condition, Delay: policy.delay, MaxAttempts: policy.max_attempts, Window: policy.window });
  if (!service.restart) return undefined;
  const [condition, attempts] = service.restart.split(':');
  switch (condition) {
    case 'always':
    case 'unless-stopped':
      return { Condition: 'any' };
    case 'on-failure':
      return defined({ Condition: 'on-failure', MaxAttempts: attempts === undefined ? undefined : Number(attempts) });
    case 'no':
      return { Condition: 'none' };
    default:
      return undefined;
  }
}

function placement(service: Service): ServiceSpec['TaskTemplate']['Placement'] {
  const value = service.deploy?.placement;
  const platform = service.platform?.split('/');
  const spec = defined({
    Constraints: nonEmpty(value?.constraints),
    Preferences: nonEmpty(
      (value?.preferences ?? []).filter((preference) => preference.spread !== undefined).map((preference) => ({ Spread: { SpreadDescriptor: preference.spread! } })),
    ),
    MaxReplicas: value?.max_replicas_per_node,
    Platforms: platform && platform[0] ? [defined({ OS: platform[0], Architecture: platform[1] })] : undefined,
  });
  return Object.keys(spec).length === 0 ? undefined : spec;
}

/** An update or rollback block; parallelism defaults to 1 when the block is present, as in docker stack. */
function updateSpec(value: UpdateConfig | undefined): UpdateSpec | undefined {
  if (!value) return undefined;
  return defined({
    Parallelism: value.parallelism ?? 1,
    Delay: value.delay,
    FailureAction: value.failure_action,
    Monitor: value.monitor,
    MaxFailureRatio: value.max_failure_ratio,
    Order: value.order,
  });
}

// ---------------------------------------------------------------------------------------------

function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) out[key] = entry;
  return out as T;
}

function nonEmpty<T>(list: readonly T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? [...list] : undefined;
}

function nonEmptyRecord<T>(record: Readonly<Record<string, T>> | undefined): Record<string, T> | undefined {
  return record && Object.keys(record).length > 0 ? { ...record } : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
