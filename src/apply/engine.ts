/**
 * The one engine interface tscompose talks to. It is owned by this project and speaks only the
 * small types below: no dockerode type crosses it, so the planner, the executor and their tests
 * never depend on the client library, and a second implementation (Podman's API quirks, a
 * recording fake for tests) needs nothing but this file.
 *
 * Conventions:
 * - Every failure is an `EngineError` (`kind`: not-found, conflict, unreachable, timeout, ...);
 *   a caller's abort signal turns into a `CancelledError`.
 * - Every call that returns a single answer has a deadline (`timeoutMs`, with a default chosen by
 *   the implementation). Streams (logs, events, attach, pull and build progress) have none; they end
 *   when the engine ends them or when the caller's `signal` aborts.
 * - Streams end quietly when the signal aborts; they throw when the connection breaks, so a
 *   consumer can tell "done" from "lost" and re-subscribe.
 * - Container-create types use the Engine API's own field names (PascalCase), because the mapping
 *   in container-spec.ts is written, reviewed and compared against `docker inspect` in those terms.
 */
import type { CallOptions, LogLine, NetworkSummary } from './engine-shared-types.js';
import type { SwarmEngine } from './swarm-engine.js';

export type { CallOptions, LogLine, NetworkSummary } from './engine-shared-types.js';

export interface EngineVersion {
  readonly version: string;
  readonly apiVersion: string;
  readonly os: string;
  readonly arch: string;
}

// ---------------------------------------------------------------------------------------------
// Observed state

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerSummary {
  readonly id: string;
  /** Without the leading slash. */
  readonly name: string;
  /** The image reference the container was created from, as given at create. */
  readonly image: string;
  readonly imageId: string;
  /** The command line as the engine lists it (`sh -c 'echo hi'`), for `ps`. */
  readonly command?: string;
  readonly status: ContainerStatus;
  /** The engine's human text, e.g. "Up 3 minutes (healthy)". */
  readonly statusText: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Unix seconds. */
  readonly created: number;
  /** Engine network names the container is attached to. */
  readonly networks: readonly string[];
  /** HostConfig.NetworkMode: `bridge`, `host`, `container:<id>`, a network name, ... */
  readonly networkMode: string;
  /** Included so observation needs no inspect per container (anonymous volumes to carry over). */
  readonly mounts: readonly ContainerMount[];
  readonly ports: readonly PublishedPort[];
}

export interface PublishedPort {
  readonly privatePort: number;
  readonly publicPort?: number;
  readonly hostIp?: string;
  readonly protocol: string;
}

export interface VolumeSummary {
  readonly name: string;
  readonly driver: string;
  readonly mountpoint: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface HealthProbe {
  readonly start: string;
  readonly end: string;
  readonly exitCode: number;
  readonly output: string;
}

export interface ContainerHealth {
  readonly status: 'starting' | 'healthy' | 'unhealthy' | 'none';
  readonly failingStreak: number;
  /** Oldest first; the engine keeps the last five. */
  readonly log: readonly HealthProbe[];
}

export interface ContainerMount {
  readonly type: string;
  /** The volume name, for volumes. */
  readonly name?: string;
  /** The volume driver (`local`), for volumes. */
  readonly driver?: string;
  /** Host path (binds) or the volume's directory on the host. */
  readonly source: string;
  readonly destination: string;
  readonly readOnly: boolean;
}

export interface ContainerNetworkAttachment {
  readonly networkId: string;
  readonly aliases: readonly string[];
  readonly ipAddress: string;
  readonly ipv6Address: string;
  readonly macAddress: string;
}

export interface ContainerDetails {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly created: string;
  readonly state: {
    readonly status: ContainerStatus;
    readonly running: boolean;
    readonly paused: boolean;
    readonly restarting: boolean;
    readonly oomKilled: boolean;
    readonly dead: boolean;
    readonly pid: number;
    readonly exitCode: number;
    /** The engine's error text (e.g. a failed start), '' when none. */
    readonly error: string;
    /** RFC 3339; `0001-01-01T00:00:00Z` when never started / never finished. */
    readonly startedAt: string;
    readonly finishedAt: string;
    /** Absent when the container has no healthcheck. */
    readonly health?: ContainerHealth;
  };
  readonly restartCount: number;
  /** HostConfig.RestartPolicy.Name: `always`, `unless-stopped`, `on-failure`, or `no` / '' for none. */
  readonly restartPolicy?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Config.User: the user the container's processes run as (the image's USER unless overridden); '' = root. */
  readonly user?: string;
  readonly tty: boolean;
  readonly openStdin: boolean;
  readonly mounts: readonly ContainerMount[];
  /** By engine network name. */
  readonly networks: Readonly<Record<string, ContainerNetworkAttachment>>;
}

export interface ImageSummary {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly created: string;
  /**
   * When a tag last moved onto this image locally (a build or `docker tag`), RFC 3339; absent
   * when the engine does not record one (it stays unset for pulled images on some engines).
   */
  readonly lastTagTime?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Paths declared with VOLUME: containers get anonymous volumes there. */
  readonly volumes: readonly string[];
  readonly os: string;
  readonly architecture: string;
  /** Bytes, as the engine reports it (`images` prints it). */
  readonly size?: number;
}

// ---------------------------------------------------------------------------------------------
// Create requests (Engine API shapes)

export interface NetworkSpec {
  readonly name: string;
  readonly driver?: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly ipam?: {
    readonly driver?: string;
    readonly config?: readonly {
      readonly subnet?: string;
      readonly ipRange?: string;
      readonly gateway?: string;
      readonly auxAddresses?: Readonly<Record<string, string>>;
    }[];
    readonly options?: Readonly<Record<string, string>>;
  };
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly enableIpv6?: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface VolumeSpec {
  readonly name: string;
  readonly driver?: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface EndpointSettings {
  readonly Aliases?: readonly string[];
  readonly Links?: readonly string[];
  readonly IPAMConfig?: {
    readonly IPv4Address?: string;
    readonly IPv6Address?: string;
    readonly LinkLocalIPs?: readonly string[];
  };
  readonly MacAddress?: string;
  readonly DriverOpts?: Readonly<Record<string, string>>;
}

export interface HealthConfig {
  /** `['NONE']` disables the image's healthcheck; absent inherits it. */
  readonly Test?: readonly string[];
  /** Nanoseconds, like every duration in the Engine API. */
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly StartInterval?: number;
  readonly Retries?: number;
}

export interface MountSpec {
  readonly Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  readonly Source?: string;
  readonly Target: string;
  readonly ReadOnly?: boolean;
  readonly Consistency?: string;
  readonly BindOptions?: { readonly Propagation?: string; readonly CreateMountpoint?: boolean };
  readonly VolumeOptions?: { readonly NoCopy?: boolean; readonly Subpath?: string };
  readonly TmpfsOptions?: { readonly SizeBytes?: number; readonly Mode?: number };
}

export interface PortBinding {
  readonly HostIp: string;
  readonly HostPort: string;
}

export interface ThrottleDevice {
  readonly Path: string;
  readonly Rate: number;
}

export interface DeviceRequest {
  readonly Driver?: string;
  readonly Count?: number;
  readonly DeviceIDs?: readonly string[];
  readonly Capabilities?: readonly (readonly string[])[];
  readonly Options?: Readonly<Record<string, string>>;
}

export interface HostConfig {
  readonly Binds?: readonly string[];
  readonly Mounts?: readonly MountSpec[];
  readonly Tmpfs?: Readonly<Record<string, string>>;
  readonly VolumesFrom?: readonly string[];
  readonly VolumeDriver?: string;
  readonly NetworkMode?: string;
  readonly PortBindings?: Readonly<Record<string, readonly PortBinding[]>>;
  readonly Links?: readonly string[];
  readonly Dns?: readonly string[];
  readonly DnsOptions?: readonly string[];
  readonly DnsSearch?: readonly string[];
  /** `host:ip` entries. */
  readonly ExtraHosts?: readonly string[];
  readonly RestartPolicy?: { readonly Name: string; readonly MaximumRetryCount?: number };
  /** `run --rm`: the engine removes the container when it exits. */
  readonly AutoRemove?: boolean;
  readonly CapAdd?: readonly string[];
  readonly CapDrop?: readonly string[];
  readonly SecurityOpt?: readonly string[];
  readonly MaskedPaths?: readonly string[];
  readonly ReadonlyPaths?: readonly string[];
  readonly Privileged?: boolean;
  readonly ReadonlyRootfs?: boolean;
  readonly Init?: boolean;
  readonly GroupAdd?: readonly string[];
  readonly IpcMode?: string;
  readonly PidMode?: string;
  readonly UTSMode?: string;
  readonly UsernsMode?: string;
  readonly CgroupnsMode?: string;
  readonly CgroupParent?: string;
  readonly Isolation?: string;
  readonly Runtime?: string;
  readonly StorageOpt?: Readonly<Record<string, string>>;
  readonly Sysctls?: Readonly<Record<string, string>>;
  readonly LogConfig?: { readonly Type?: string; readonly Config?: Readonly<Record<string, string>> };
  readonly ShmSize?: number;
  readonly OomScoreAdj?: number;
  readonly Annotations?: Readonly<Record<string, string>>;
  // Resources
  readonly NanoCpus?: number;
  readonly CpuShares?: number;
  readonly CpuQuota?: number;
  readonly CpuPeriod?: number;
  readonly CpuRealtimePeriod?: number;
  readonly CpuRealtimeRuntime?: number;
  readonly CpusetCpus?: string;
  readonly CpuCount?: number;
  readonly CpuPercent?: number;
  readonly Memory?: number;
  readonly MemoryReservation?: number;
  readonly MemorySwap?: number;
  readonly MemorySwappiness?: number;
  readonly OomKillDisable?: boolean;
  readonly PidsLimit?: number;
  readonly Ulimits?: readonly { readonly Name: string; readonly Soft: number; readonly Hard: number }[];
  readonly Devices?: readonly { readonly PathOnHost: string; readonly PathInContainer: string; readonly CgroupPermissions: string }[];
  readonly DeviceCgroupRules?: readonly string[];
  readonly DeviceRequests?: readonly DeviceRequest[];
  readonly BlkioWeight?: number;
  readonly BlkioWeightDevice?: readonly { readonly Path: string; readonly Weight: number }[];
  readonly BlkioDeviceReadBps?: readonly ThrottleDevice[];
  readonly BlkioDeviceWriteBps?: readonly ThrottleDevice[];
  readonly BlkioDeviceReadIOps?: readonly ThrottleDevice[];
  readonly BlkioDeviceWriteIOps?: readonly ThrottleDevice[];
}

/** The body of `POST /containers/create`. */
export interface ContainerConfig {
  readonly Image: string;
  readonly Hostname?: string;
  readonly Domainname?: string;
  readonly User?: string;
  readonly AttachStdin?: boolean;
  readonly AttachStdout?: boolean;
  readonly AttachStderr?: boolean;
  readonly Tty?: boolean;
  readonly OpenStdin?: boolean;
  readonly StdinOnce?: boolean;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  /** `KEY=value` entries. */
  readonly Env?: readonly string[];
  readonly Cmd?: readonly string[];
  /** `[]` clears the image's entrypoint; absent inherits it. */
  readonly Entrypoint?: readonly string[];
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly Healthcheck?: HealthConfig;
  readonly StopSignal?: string;
  /** Seconds. */
  readonly StopTimeout?: number;
  readonly MacAddress?: string;
  readonly NetworkDisabled?: boolean;
  readonly HostConfig: HostConfig;
  /** One network at create time: the engine attaches the others with `connectNetwork`. */
  readonly NetworkingConfig?: { readonly EndpointsConfig: Readonly<Record<string, EndpointSettings>> };
}

export interface ContainerCreateRequest {
  readonly name: string;
  /** `os[/arch[/variant]]`, sent as the `platform` query parameter. */
  readonly platform?: string;
  readonly config: ContainerConfig;
}

// ---------------------------------------------------------------------------------------------
// Streams and results

/** A pull or build progress line as the engine reports it (progress.ts turns these into UI events). */
export interface EngineProgress {
  /** Layer or step id, when the engine gives one. */
  readonly id?: string;
  /** One line of human text: "Pulling fs layer", "Step 1/3 : FROM busybox", build output. */
  readonly message: string;
  readonly current?: number;
  readonly total?: number;
}

export interface LogOptions {
  readonly follow?: boolean;
  /** Number of lines from the end, or 'all'. */
  readonly tail?: number | 'all';
  /** Unix seconds, or an RFC 3339 / relative value the engine understands ("10m"). */
  readonly since?: number | string;
  readonly until?: number | string;
  readonly timestamps?: boolean;
  readonly signal?: AbortSignal;
}

export interface ContainerAttachment {
  /** Output lines until the container stops (or `detach()`). */
  readonly output: AsyncIterable<LogLine>;
  /** Present when attached with `stdin: true`. */
  readonly stdin?: NodeJS.WritableStream;
  detach(): void;
}

export interface ExecOptions extends CallOptions {
  readonly command: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  /** `KEY=value` entries. */
  readonly env?: readonly string[];
  readonly privileged?: boolean;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface EngineEvent {
  /** container, network, volume, image, ... */
  readonly type: string;
  /** create, start, die, health_status: healthy, destroy, ... */
  readonly action: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

/** Which builder a build uses: BuildKit (the engine's default) or the classic one. */
export type Builder = 'buildkit' | 'classic';

/** What the engine offers for builds (`GET /_ping` headers and the version). */
export interface BuildCapabilities {
  /** Whether `POST /build?version=2` with a session works (Docker Engine on Linux, API 1.39+). */
  readonly buildkit: boolean;
  /** Why not, for the one line that says the classic builder is used: "Podman's Docker API has only the classic builder". */
  readonly reason?: string;
  /** The engine's own platform, `linux/amd64`: the only one it builds for. */
  readonly platform: string;
  /** The engine's API version (`1.41`): BuildKit honours shm_size and ulimits from 1.42 (Engine 23). */
  readonly apiVersion?: string;
}

/** A build secret: read from a file or given as a value (from the environment), never put in a request. */
export interface BuildSecretSource {
  readonly id: string;
  readonly file?: string;
  readonly value?: string;
}

export interface BuildSpec {
  /** Absolute directory sent as the build context (honouring its .dockerignore). */
  readonly context: string;
  /** Relative to the context, or absolute (a Dockerfile outside the context is sent along). */
  readonly dockerfile?: string;
  /** Dockerfile text; wins over `dockerfile`. */
  readonly dockerfileInline?: string;
  readonly args?: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** At least one: the image names to tag. */
  readonly tags: readonly string[];
  readonly noCache?: boolean;
  /** Always try to pull newer base images. */
  readonly pull?: boolean;
  readonly platform?: string;
  readonly network?: string;
  /** `host:ip` entries. */
  readonly extraHosts?: readonly string[];
  readonly shmSize?: number;
  readonly cacheFrom?: readonly string[];
  /** Default `classic`. */
  readonly builder?: Builder;
  /** Ignore patterns instead of the context's own ignore file (`Dockerfile.dockerignore`). */
  readonly ignorePatterns?: string;
  /** BuildKit only: served over the session when a step mounts them. */
  readonly secrets?: readonly BuildSecretSource[];
  /** BuildKit only: ssh agent sockets by id. */
  readonly sshAgents?: Readonly<Record<string, string>>;
  readonly ulimits?: readonly { readonly Name: string; readonly Soft: number; readonly Hard: number }[];
  /** Classic builder only (Windows engines). */
  readonly isolation?: string;
  /** Classic builder only: memory limit of the step containers, bytes. */
  readonly memory?: number;
}

/** BuildKit's progress: each message adds to or updates what earlier ones said (by vertex digest). */
export interface BuildkitStatus {
  readonly vertexes: readonly {
    readonly digest: string;
    readonly name: string;
    readonly cached: boolean;
    /** Milliseconds since the epoch. */
    readonly started?: number;
    readonly completed?: number;
    readonly error?: string;
  }[];
  readonly statuses: readonly {
    readonly id: string;
    readonly vertex: string;
    readonly current: number;
    readonly total: number;
    readonly completed?: number;
  }[];
  readonly logs: readonly {
    readonly vertex: string;
    /** 1 stdout, 2 stderr. */
    readonly stream: number;
    readonly data: Buffer;
    readonly timestamp: number;
  }[];
}

export interface RegistryCredential {
  readonly username: string;
  /** A password, or an identity token with an empty username. */
  readonly secret: string;
}

/** Credentials as the Docker CLI reads them (config.json, credential helpers). */
export interface CredentialLookup {
  /** For a registry host as the engine names it: `registry-1.docker.io`, `127.0.0.1:5000`. */
  forHost(host: string): Promise<RegistryCredential | undefined>;
  /** Every configured registry's credentials, keyed as in config.json (the classic builder's X-Registry-Config). */
  all(): Promise<Readonly<Record<string, RegistryCredential>>>;
}

export interface BuildOptions extends StreamOptions {
  /** BuildKit's progress messages (BuildKit builds only; classic output goes to onProgress). */
  readonly onBuildkitStatus?: (status: BuildkitStatus) => void;
  /** Registry credentials for base images. */
  readonly credentials?: CredentialLookup;
}

export interface PushOptions extends StreamOptions {
  readonly credential?: RegistryCredential;
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: EngineProgress) => void;
}

// ---------------------------------------------------------------------------------------------
// The CLI's container commands (exec, run, attach, cp, top, stats, pause, ls, images, events)

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** A process's raw streams, as a terminal needs them (`exec`, `run`, `attach`). */
export interface ProcessStreams {
  /** With a TTY, everything the process writes; without, its stdout. */
  readonly stdout: NodeJS.ReadableStream;
  /** Without a TTY, its stderr; with one, a stream that only ends. */
  readonly stderr: NodeJS.ReadableStream;
  /** Present when opened with `stdin: true`; ending it closes the process's stdin. */
  readonly stdin?: NodeJS.WritableStream;
  /** Resolves when the output has ended: the process exited, detached, or `close()` was called. */
  readonly ended: Promise<void>;
  /** Resizes the TTY; ignored without one. */
  resize(size: TerminalSize): Promise<void>;
  /** Drops the connection; the process keeps running. */
  close(): void;
}

export interface InteractiveOptions {
  readonly tty: boolean;
  readonly stdin: boolean;
  /** Key sequence that detaches (`ctrl-p,ctrl-q`), as the engine takes it. */
  readonly detachKeys?: string;
  readonly signal?: AbortSignal;
}

export interface ExecProcess extends ProcessStreams {
  /** The command's exit code; call once `ended` resolved. */
  exitCode(): Promise<number>;
}

/** `ps` output of a container's processes, as the engine's `top` returns it. */
export interface ContainerTop {
  readonly titles: readonly string[];
  readonly processes: readonly (readonly string[])[];
}

/** One reading of a container's resource use (raw counters; `stats` computes the percentages). */
export interface ContainerStatsSample {
  readonly cpuTotal: number;
  readonly systemCpu: number;
  readonly previousCpuTotal: number;
  readonly previousSystemCpu: number;
  readonly onlineCpus: number;
  /** Bytes in use, without the page cache (as the Docker CLI counts). */
  readonly memoryUsage: number;
  readonly memoryLimit: number;
  readonly networkRx: number;
  readonly networkTx: number;
  readonly blockRead: number;
  readonly blockWrite: number;
  readonly pids: number;
}

/** What the engine says about a path in a container (`docker cp` semantics need it). */
export interface ContainerPathStat {
  readonly name: string;
  readonly size: number;
  /** Go's os.FileMode bits: directory 1<<31, symlink 1<<27, plus the permission bits. */
  readonly mode: number;
  /** The link's target, for a symbolic link. */
  readonly linkTarget: string;
}

/** A container event of a project with the engine's exact time (`events` prints nanoseconds). */
export interface ContainerEvent extends EngineEvent {
  /** Nanoseconds since the epoch, exact. */
  readonly timeNano: bigint;
}

export interface ContainerCommands {
  pauseContainer(id: string, options?: CallOptions): Promise<void>;
  unpauseContainer(id: string, options?: CallOptions): Promise<void>;
  /** Containers of every Compose project (any `com.docker.compose.project` label); `all` includes stopped ones. */
  listComposeContainers(options?: CallOptions & { readonly all?: boolean }): Promise<ContainerSummary[]>;
  /** Runs a command with the caller's terminal: `detach` starts it and returns at once (no streams). */
  startExec(id: string, options: ExecOptions & InteractiveOptions & { readonly detach?: boolean }): Promise<ExecProcess>;
  /** The raw streams of a container's main process (attach before start to miss nothing). */
  attachStreams(id: string, options: InteractiveOptions): Promise<ProcessStreams>;
  resizeContainer(id: string, size: TerminalSize, options?: CallOptions): Promise<void>;
  topContainer(id: string, options?: CallOptions): Promise<ContainerTop>;
  /** Readings until the signal aborts (`stream`), or one reading. */
  containerStats(id: string, options: { readonly stream: boolean; readonly signal?: AbortSignal }): AsyncIterable<ContainerStatsSample>;
  /** Undefined when the path does not exist. */
  statContainerPath(id: string, path: string, options?: CallOptions): Promise<ContainerPathStat | undefined>;
  /** A tar archive of `path` (its last element at the archive's root), as a stream. */
  archiveStream(id: string, path: string, options?: CallOptions): Promise<NodeJS.ReadableStream>;
  /** Extracts a tar archive into the directory `path`; `copyUidGid` keeps the archive's owners (`cp -a`). */
  extractArchive(
    id: string,
    path: string,
    archive: NodeJS.ReadableStream | Buffer,
    options?: CallOptions & { readonly copyUidGid?: boolean },
  ): Promise<void>;
  /** Container events of one project (one-off containers included), as they happen. */
  containerEvents(project: string, options?: { readonly signal?: AbortSignal }): AsyncIterable<ContainerEvent>;
}

// ---------------------------------------------------------------------------------------------

export interface Engine extends ContainerCommands {
  /** Where this engine is and why it was chosen, for messages: `unix:///… (from DOCKER_HOST)`. */
  readonly description: string;

  /** Fails fast (unreachable / timeout) when no engine answers. */
  ping(options?: CallOptions): Promise<void>;
  version(options?: CallOptions): Promise<EngineVersion>;

  // Observe: one call each, filtered by `com.docker.compose.project=<project>`; containers include stopped ones
  // and must also carry `com.docker.compose.config-hash` (labels.ts projectContainerFilters).
  listContainers(project: string, options?: CallOptions): Promise<ContainerSummary[]>;
  listNetworks(project: string, options?: CallOptions): Promise<NetworkSummary[]>;
  listVolumes(project: string, options?: CallOptions): Promise<VolumeSummary[]>;

  inspectContainer(idOrName: string, options?: CallOptions): Promise<ContainerDetails>;
  /** Exact name or id match only (the engine's prefix matching is not trusted); undefined when absent. */
  inspectNetwork(idOrName: string, options?: CallOptions): Promise<NetworkSummary | undefined>;
  inspectVolume(name: string, options?: CallOptions): Promise<VolumeSummary | undefined>;
  /** Undefined when the image is not present locally. */
  inspectImage(ref: string, options?: CallOptions): Promise<ImageSummary | undefined>;

  /** A reference without a tag pulls `:latest`, never every tag. */
  pullImage(ref: string, options?: StreamOptions & { readonly platform?: string; readonly credential?: RegistryCredential }): Promise<void>;
  /** Pushes one tag (a reference without a tag pushes `:latest`). */
  pushImage(ref: string, options?: PushOptions): Promise<void>;
  /** What the engine offers for builds; asked once per command. */
  buildCapabilities(options?: CallOptions): Promise<BuildCapabilities>;
  /** Returns the new image id (`sha256:…`). */
  buildImage(spec: BuildSpec, options?: BuildOptions): Promise<string>;
  removeImage(ref: string, options?: CallOptions & { readonly force?: boolean }): Promise<void>;

  /** Returns the network id. */
  createNetwork(spec: NetworkSpec, options?: CallOptions): Promise<string>;
  removeNetwork(idOrName: string, options?: CallOptions): Promise<void>;
  connectNetwork(network: string, container: string, endpoint?: EndpointSettings, options?: CallOptions): Promise<void>;
  disconnectNetwork(network: string, container: string, options?: CallOptions & { readonly force?: boolean }): Promise<void>;

  createVolume(spec: VolumeSpec, options?: CallOptions): Promise<VolumeSummary>;
  removeVolume(name: string, options?: CallOptions & { readonly force?: boolean }): Promise<void>;

  /** Returns the container id. */
  createContainer(request: ContainerCreateRequest, options?: CallOptions): Promise<string>;
  /** Starting a running container is not an error. */
  startContainer(id: string, options?: CallOptions): Promise<void>;
  /** SIGTERM (or the container's stop signal), SIGKILL after `timeoutSeconds`. Stopping a stopped container is not an error. */
  stopContainer(id: string, options?: CallOptions & { readonly timeoutSeconds?: number }): Promise<void>;
  killContainer(id: string, options?: CallOptions & { readonly killSignal?: string }): Promise<void>;
  restartContainer(id: string, options?: CallOptions & { readonly timeoutSeconds?: number }): Promise<void>;
  removeContainer(id: string, options?: CallOptions & { readonly force?: boolean; readonly volumes?: boolean }): Promise<void>;
  renameContainer(id: string, newName: string, options?: CallOptions): Promise<void>;

  /** Attach before `startContainer` to see the first output lines; with `stdin`, the container must be created with OpenStdin. */
  attachContainer(id: string, options?: { readonly stdin?: boolean; readonly signal?: AbortSignal }): Promise<ContainerAttachment>;
  /** Resolves with the exit code. No default deadline: pass `timeoutMs` or a signal. */
  waitContainer(
    id: string,
    options?: CallOptions & { readonly condition?: 'not-running' | 'next-exit' | 'removed' },
  ): Promise<number>;
  logs(id: string, options?: LogOptions): AsyncIterable<LogLine>;
  /** Runs a command to completion and captures its output. No default deadline. */
  exec(id: string, options: ExecOptions): Promise<ExecResult>;
  /** Extracts a tar archive at `path` (a directory that exists) in the container. */
  putArchive(id: string, path: string, archive: Buffer | NodeJS.ReadableStream, options?: CallOptions): Promise<void>;
  /** A tar archive of `path` in the container. */
  getArchive(id: string, path: string, options?: CallOptions): Promise<Buffer>;

  /** Engine events for one project (containers, networks, volumes labelled with it). */
  events(project: string, options?: { readonly since?: number; readonly signal?: AbortSignal }): AsyncIterable<EngineEvent>;

  /** Releases connections (and ssh processes). The engine must not be used afterwards. */
  close(): void;

  /** Swarm-mode calls for `tscompose stack` (swarm-engine.ts); absent where the engine has none. */
  swarm?(): SwarmEngine;
}
