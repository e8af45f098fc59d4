/**
 * The typed, canonical project every stage after model/ speaks. Field names follow the Compose
 * Specification (snake_case) so the canonical JSON printed by `config` is a direct rendering of
 * this model. Short syntax never appears here: ports, volumes, depends_on, networks, secrets,
 * configs, build and healthcheck are always in long form.
 *
 * Representation choices (the `config` printer turns them back into Compose's text forms):
 * - durations are nanoseconds (`Duration`), printed like Go (`1m30s`);
 * - sizes are bytes (`Bytes`), printed as decimal strings;
 * - optional fields are absent (never `undefined`-valued keys) when the user did not set them;
 * - relative host paths (bind sources, build contexts, secret/config files, watch paths) are
 *   absolute, resolved against the project directory (`~` against the user's home);
 * - container-side paths (mount targets) are cleaned like Go's path.Clean.
 */

/** Nanoseconds. */
export type Duration = number;
/** Bytes. */
export type Bytes = number;

export type Extensions = Readonly<Record<`x-${string}`, unknown>>;

export interface Project {
  readonly name: string;
  /** Absolute project directory. */
  readonly workingDir: string;
  /** Absolute paths of the compose files (stdin: `-`). */
  readonly configFiles: readonly string[];
  /** Absolute env files used for interpolation. */
  readonly envFiles: readonly string[];
  /** Whether they were asked for (--env-file, COMPOSE_ENV_FILES): only those go into the label
   * com.docker.compose.project.environment_file, as in Compose (the implicit .env does not). */
  readonly envFilesRequested: boolean;
  /** Enabled services (profiles applied, selection applied), by name. */
  readonly services: Readonly<Record<string, Service>>;
  /** Services disabled by profiles: kept so orphan detection does not treat them as orphans. */
  readonly disabledServices: Readonly<Record<string, Service>>;
  readonly networks: Readonly<Record<string, Network>>;
  readonly volumes: Readonly<Record<string, Volume>>;
  readonly secrets: Readonly<Record<string, SecretOrConfig>>;
  readonly configs: Readonly<Record<string, SecretOrConfig>>;
  /** Top-level `x-*` keys, kept verbatim. */
  readonly extensions: Extensions;
}

export interface Service {
  /** The key under `services:`. */
  readonly name: string;
  readonly profiles?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly attach?: boolean;
  readonly build?: Build;
  readonly blkio_config?: BlkioConfig;
  readonly cap_add?: readonly string[];
  readonly cap_drop?: readonly string[];
  readonly cgroup?: string;
  readonly cgroup_parent?: string;
  /** Shell-split. Absent = the image's CMD; `[]` = explicitly empty (`command: []` or `""`). */
  readonly command?: readonly string[];
  /** Targets are left absent when not set (the engine mounts them at `/<source>`). */
  readonly configs?: readonly FileReference[];
  readonly container_name?: string;
  readonly cpu_count?: number;
  readonly cpu_percent?: number;
  readonly cpu_period?: number;
  readonly cpu_quota?: number;
  readonly cpu_rt_period?: Duration;
  readonly cpu_rt_runtime?: Duration;
  readonly cpu_shares?: number;
  readonly cpus?: number;
  readonly cpuset?: string;
  readonly credential_spec?: { readonly config?: string; readonly file?: string; readonly registry?: string };
  readonly depends_on?: Readonly<Record<string, Dependency>>;
  readonly deploy?: Deploy;
  readonly develop?: Develop;
  readonly device_cgroup_rules?: readonly string[];
  readonly devices?: readonly Device[];
  readonly dns?: readonly string[];
  readonly dns_opt?: readonly string[];
  readonly dns_search?: readonly string[];
  readonly domainname?: string;
  /** Shell-split. Absent = the image's ENTRYPOINT; `[]` = explicitly empty. */
  readonly entrypoint?: readonly string[];
  /**
   * env_file entries folded in (environment wins). `null` value = listed without a value and not
   * set in the environment: sent as a bare `KEY`, so the container has it unset (over the image ENV).
   */
  readonly environment?: Readonly<Record<string, string | null>>;
  readonly expose?: readonly string[];
  readonly external_links?: readonly string[];
  /** `host=ip` entries (IPv6 brackets removed), sorted, as Compose prints them. */
  readonly extra_hosts?: readonly string[];
  readonly group_add?: readonly string[];
  /** `gpus: all` is `[{count: -1}]`; each entry becomes a device request with the `gpu` capability. */
  readonly gpus?: readonly DeviceRequest[];
  readonly healthcheck?: Healthcheck;
  readonly hostname?: string;
  readonly image?: string;
  readonly init?: boolean;
  readonly ipc?: string;
  readonly isolation?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly links?: readonly string[];
  readonly logging?: Logging;
  readonly mac_address?: string;
  readonly mem_limit?: Bytes;
  readonly mem_reservation?: Bytes;
  readonly mem_swappiness?: number;
  readonly memswap_limit?: Bytes;
  readonly network_mode?: string;
  /**
   * Network key -> attachment; `null` = attached with no options (Compose prints `null`). A
   * service that declares neither `networks` nor `network_mode` is attached to `default`.
   */
  readonly networks?: Readonly<Record<string, NetworkAttachment | null>>;
  readonly oom_kill_disable?: boolean;
  readonly oom_score_adj?: number;
  readonly pid?: string;
  readonly pids_limit?: number;
  readonly platform?: string;
  readonly ports?: readonly Port[];
  readonly privileged?: boolean;
  /** Canonical: `always | never | missing | build` (`if_not_present` becomes `missing`). */
  readonly pull_policy?: string;
  readonly read_only?: boolean;
  readonly restart?: string;
  readonly runtime?: string;
  readonly scale?: number;
  /** Targets are filled in (`/run/secrets/<source>` unless set), as Compose does. */
  readonly secrets?: readonly FileReference[];
  readonly security_opt?: readonly string[];
  readonly shm_size?: Bytes;
  readonly stdin_open?: boolean;
  readonly stop_grace_period?: Duration;
  readonly stop_signal?: string;
  readonly storage_opt?: Readonly<Record<string, string>>;
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly tmpfs?: readonly string[];
  readonly tty?: boolean;
  readonly ulimits?: Readonly<Record<string, Ulimit>>;
  readonly user?: string;
  readonly userns_mode?: string;
  readonly uts?: string;
  readonly volume_driver?: string;
  /** Long syntax, in the user's order, one entry per target. */
  readonly volumes?: readonly Mount[];
  readonly volumes_from?: readonly string[];
  readonly working_dir?: string;
  /** Run in each container after it starts (and after a restart), in order. */
  readonly post_start?: readonly LifecycleHook[];
  /** Run in each running container before it is stopped (and before a restart), in order. */
  readonly pre_stop?: readonly LifecycleHook[];
  readonly extensions?: Extensions;
}

/** A command run in a running container: `post_start`, `pre_stop`, a watch rule's `exec`. */
export interface LifecycleHook {
  readonly command: readonly string[];
  readonly user?: string;
  readonly privileged?: boolean;
  readonly working_dir?: string;
  /** Added to the container's environment; `null` = listed without a value and unset (sent as a bare name). */
  readonly environment?: Readonly<Record<string, string | null>>;
}

export interface Build {
  /** Absolute path, or a URL (git context) kept as written. */
  readonly context: string;
  /** `Dockerfile` unless set or `dockerfile_inline` is used; relative to the context, as written. */
  readonly dockerfile?: string;
  readonly dockerfile_inline?: string;
  /** BuildKit entitlements (`network.host`, `security.insecure`), as written. */
  readonly entitlements?: readonly string[];
  /** Valueless args are taken from the environment; when unset there they are dropped. */
  readonly args?: Readonly<Record<string, string>>;
  readonly ssh?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly cache_from?: readonly string[];
  readonly cache_to?: readonly string[];
  readonly no_cache?: boolean;
  readonly additional_contexts?: Readonly<Record<string, string>>;
  readonly network?: string;
  readonly pull?: boolean;
  readonly target?: string;
  readonly shm_size?: Bytes;
  readonly extra_hosts?: readonly string[];
  readonly isolation?: string;
  readonly privileged?: boolean;
  readonly secrets?: readonly FileReference[];
  readonly tags?: readonly string[];
  readonly ulimits?: Readonly<Record<string, Ulimit>>;
  readonly platforms?: readonly string[];
  readonly extensions?: Extensions;
}

export interface Dependency {
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  readonly required: boolean;
  readonly restart?: boolean;
  readonly extensions?: Extensions;
}

export interface Healthcheck {
  /** `['CMD', ...]`, `['CMD-SHELL', cmd]` or `['NONE']`. */
  readonly test?: readonly string[];
  readonly interval?: Duration;
  readonly timeout?: Duration;
  readonly retries?: number;
  readonly start_period?: Duration;
  readonly start_interval?: Duration;
  readonly disable?: boolean;
  readonly extensions?: Extensions;
}

export interface Port {
  readonly name?: string;
  readonly mode: string;
  readonly host_ip?: string;
  readonly target: number;
  /** A port or a range (`8000-8010`, a range to allocate from); absent = ephemeral. */
  readonly published?: string;
  readonly protocol: string;
  readonly app_protocol?: string;
  readonly extensions?: Extensions;
}

export type MountType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

export interface Mount {
  readonly type: MountType;
  /** Absolute host path (bind), volume key (named volume), absent (anonymous volume, tmpfs). */
  readonly source?: string;
  readonly target: string;
  readonly read_only?: boolean;
  readonly consistency?: string;
  readonly bind?: { readonly propagation?: string; readonly create_host_path?: boolean; readonly selinux?: string };
  /** Present (possibly empty) for volumes written in short syntax, as Compose prints `volume: {}`. */
  readonly volume?: { readonly nocopy?: boolean; readonly subpath?: string };
  readonly tmpfs?: { readonly size?: Bytes; readonly mode?: number };
  readonly extensions?: Extensions;
}

export interface NetworkAttachment {
  readonly aliases?: readonly string[];
  readonly ipv4_address?: string;
  readonly ipv6_address?: string;
  readonly link_local_ips?: readonly string[];
  readonly mac_address?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly priority?: number;
  readonly extensions?: Extensions;
}

/** A service's reference to a top-level secret or config. */
export interface FileReference {
  readonly source: string;
  /** Absent = the default (`/run/secrets/<source>` for secrets, `/<source>` for configs). */
  readonly target?: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
  readonly extensions?: Extensions;
}

export interface Device {
  readonly source: string;
  readonly target: string;
  readonly permissions: string;
}

/** `nofile: 1024` gives `{single: 1024}`; `nofile: {soft, hard}` gives soft and hard. */
export interface Ulimit {
  readonly single?: number;
  readonly soft?: number;
  readonly hard?: number;
}

export interface BlkioConfig {
  readonly weight?: number;
  readonly weight_device?: readonly { readonly path: string; readonly weight: number }[];
  readonly device_read_bps?: readonly BlkioThrottle[];
  readonly device_read_iops?: readonly BlkioThrottle[];
  readonly device_write_bps?: readonly BlkioThrottle[];
  readonly device_write_iops?: readonly BlkioThrottle[];
}

export interface BlkioThrottle {
  readonly path: string;
  /** Bytes per second, or operations per second for the iops lists. */
  readonly rate: number;
}

export interface Logging {
  readonly driver?: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export interface Deploy {
  readonly mode?: string;
  /** Also set from `scale` when both are present (they must agree). */
  readonly replicas?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly update_config?: UpdateConfig;
  readonly rollback_config?: UpdateConfig;
  readonly resources?: {
    readonly limits?: Resource;
    readonly reservations?: Resource;
  };
  readonly restart_policy?: {
    readonly condition?: string;
    readonly delay?: Duration;
    readonly max_attempts?: number;
    readonly window?: Duration;
  };
  readonly placement?: {
    readonly constraints?: readonly string[];
    readonly preferences?: readonly { readonly spread?: string }[];
    readonly max_replicas_per_node?: number;
  };
  readonly endpoint_mode?: string;
  readonly extensions?: Extensions;
}

export interface UpdateConfig {
  readonly parallelism?: number;
  readonly delay?: Duration;
  readonly failure_action?: string;
  readonly monitor?: Duration;
  readonly max_failure_ratio?: number;
  readonly order?: string;
}

export interface Resource {
  readonly cpus?: number;
  readonly memory?: Bytes;
  readonly pids?: number;
  readonly devices?: readonly DeviceRequest[];
  readonly generic_resources?: readonly Readonly<Record<string, unknown>>[];
  readonly extensions?: Extensions;
}

export interface DeviceRequest {
  readonly capabilities?: readonly string[];
  readonly driver?: string;
  /** `-1` = all devices (`count: all`, or neither `count` nor `device_ids` given). */
  readonly count?: number;
  readonly device_ids?: readonly string[];
  readonly options?: Readonly<Record<string, string>>;
}

export interface Develop {
  readonly watch: readonly WatchRule[];
  readonly extensions?: Extensions;
}

export interface WatchRule {
  /** Absolute host path. */
  readonly path: string;
  readonly action: 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';
  readonly target?: string;
  readonly ignore?: readonly string[];
  readonly include?: readonly string[];
  readonly initial_sync?: boolean;
  readonly exec?: LifecycleHook;
  readonly extensions?: Extensions;
}

export interface Network {
  /** The engine-side name: `<project>_<key>`, the user's `name:`, or the key when external. */
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly ipam?: {
    readonly driver?: string;
    readonly config?: readonly IpamPool[];
    readonly options?: Readonly<Record<string, string>>;
  };
  readonly external?: boolean;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly enable_ipv6?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export interface IpamPool {
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ip_range?: string;
  readonly aux_addresses?: Readonly<Record<string, string>>;
}

export interface Volume {
  /** The engine-side name: `<project>_<key>`, the user's `name:`, or the key when external. */
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly external?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export interface SecretOrConfig {
  /** `<project>_<key>`, the user's `name:`, or the key when external. */
  readonly name: string;
  /** Absolute path of the source file. */
  readonly file?: string;
  /** Name of an environment variable holding the content. */
  readonly environment?: string;
  /** Inline content (configs; secrets in recent Compose). */
  readonly content?: string;
  readonly external?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly driver?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly template_driver?: string;
  readonly extensions?: Extensions;
}
