/**
 * The swarm-mode half of the engine seam: services, tasks, nodes, secrets, configs and swarm-scoped
 * networks, for `tscompose stack`. Like engine.ts it is owned by this project and speaks only the
 * types below; docker-swarm.ts implements it over the Docker engine's HTTP API.
 *
 * Specs are model/stack/swarm-types.ts's (the Engine API's own field names). Observed objects
 * keep the spec as the engine stored it (with its defaults filled in); the planner normalises
 * both sides before it compares them.
 */
import type { CallOptions, LogLine, NetworkSummary } from './engine-shared-types.js';
import type { FileObjectSpec, ServicePort, ServiceSpec } from '../model/stack/swarm-types.js';

export type * from '../model/stack/swarm-types.js';

// ---------------------------------------------------------------------------------------------
// Observed state

export interface SwarmInfo {
  /** `inactive`, `pending`, `active`, `error`, `locked`. */
  readonly localNodeState: string;
  /** Whether this engine is a manager (only managers serve the stack calls). */
  readonly controlAvailable: boolean;
  readonly nodeId: string;
  readonly nodes: number;
}

export interface UpdateStatus {
  /** `updating`, `paused`, `completed`, `rollback_started`, `rollback_paused`, `rollback_completed`. */
  readonly state: string;
  readonly message: string;
}

export interface ServiceInfo {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** As the engine stores it: defaults filled in, network targets as IDs. */
  readonly spec: ServiceSpec;
  readonly previousSpec?: ServiceSpec;
  readonly updateStatus?: UpdateStatus;
  /** Only when listed with `status: true` (API 1.41). */
  readonly runningTasks?: number;
  readonly desiredTasks?: number;
  readonly completedTasks?: number;
  /** Jobs: the iteration their current tasks belong to. */
  readonly jobIteration?: number;
  /** Published ports as allocated (ingress ports with no published port get one from 30000-32767). */
  readonly endpointPorts: readonly ServicePort[];
}

export interface TaskInfo {
  readonly id: string;
  readonly serviceId: string;
  readonly nodeId: string;
  /** Replicated services; global ones have none. */
  readonly slot?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the task entered its current state. */
  readonly timestamp: string;
  /** `running`, `shutdown`, `complete`, ... */
  readonly desiredState: string;
  /** `new`, `pending`, `assigned`, `accepted`, `preparing`, `starting`, `running`, `complete`, `failed`, `rejected`, `shutdown`, `orphaned`, `remove`. */
  readonly state: string;
  readonly message: string;
  /** '' when none. */
  readonly error: string;
  readonly exitCode?: number;
  readonly containerId?: string;
  readonly image: string;
  readonly jobIteration?: number;
  readonly ports: readonly ServicePort[];
}

export interface NodeInfo {
  readonly id: string;
  readonly hostname: string;
  /** `manager` or `worker`. */
  readonly role: string;
  /** `active`, `pause`, `drain`. */
  readonly availability: string;
  /** `ready`, `down`, `unknown`, `disconnected`. */
  readonly state: string;
  readonly addr: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface FileObjectInfo {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

/** What a registry says about an image (`GET /distribution/{name}/json`). */
export interface DistributionInfo {
  /** `sha256:…` of the manifest (list). */
  readonly digest: string;
  readonly platforms: readonly { readonly os: string; readonly architecture: string }[];
}

export interface ListFilters {
  /** `key` or `key=value`. */
  readonly label?: readonly string[];
  readonly name?: readonly string[];
  readonly id?: readonly string[];
  /** Any other of the engine's filters (`mode`, `node`, `desired-state`, ...), as given on a command line. */
  readonly other?: Readonly<Record<string, readonly string[]>>;
}

export interface TaskFilters extends ListFilters {
  readonly service?: readonly string[];
  /** Only the tasks at their service's current spec. */
  readonly upToDate?: boolean;
}

// ---------------------------------------------------------------------------------------------

export interface SwarmEngine {
  /** `/info`'s swarm part: whether this engine is in a swarm and can manage it. */
  info(options?: CallOptions): Promise<SwarmInfo>;

  listServices(filters: ListFilters, options?: CallOptions & { readonly status?: boolean }): Promise<ServiceInfo[]>;
  /** Undefined when there is no such service. */
  inspectService(id: string, options?: CallOptions): Promise<ServiceInfo | undefined>;
  /** Returns the service ID and the engine's warnings (an image it could not resolve, ...). */
  createService(spec: ServiceSpec, options?: CallOptions & { readonly registryAuth?: string }): Promise<{ id: string; warnings: string[] }>;
  /**
   * `version` is the service's current version (the engine refuses a stale one: "update out of
   * sequence"). With `rollback`, the engine returns the service to its previous spec (`spec` is
   * then the current one, as the Docker CLI sends it).
   */
  updateService(
    id: string,
    version: number,
    spec: ServiceSpec,
    options?: CallOptions & { readonly registryAuth?: string; readonly rollback?: boolean },
  ): Promise<{ warnings: string[] }>;
  removeService(id: string, options?: CallOptions): Promise<void>;

  /**
   * Tasks of these services (all when none given), with history (shut down and failed tasks);
   * `upToDate` keeps only the tasks at their service's current spec.
   */
  listTasks(
    filters: TaskFilters,
    options?: CallOptions,
  ): Promise<TaskInfo[]>;
  /** A task's output (multiplexed unless the task has a TTY), from whichever node runs it. */
  taskLogs(id: string, options: { readonly tail: number; readonly signal?: AbortSignal }): AsyncIterable<LogLine>;
  listNodes(options?: CallOptions): Promise<NodeInfo[]>;

  /** This engine's containers of a stack's tasks (stopped ones too): `com.docker.swarm.service.id` says whose. */
  listTaskContainers(stack: string, options?: CallOptions): Promise<{ readonly id: string; readonly serviceId: string; readonly state: string }[]>;

  /** Swarm-scoped networks (the local engine's other networks are left out). */
  listNetworks(filters: ListFilters, options?: CallOptions): Promise<NetworkSummary[]>;

  listSecrets(filters: ListFilters, options?: CallOptions): Promise<FileObjectInfo[]>;
  createSecret(spec: FileObjectSpec, options?: CallOptions): Promise<string>;
  removeSecret(id: string, options?: CallOptions): Promise<void>;
  listConfigs(filters: ListFilters, options?: CallOptions): Promise<FileObjectInfo[]>;
  createConfig(spec: FileObjectSpec, options?: CallOptions): Promise<string>;
  removeConfig(id: string, options?: CallOptions): Promise<void>;

  /** Asks the image's registry (through the engine) for its digest; undefined when it cannot be reached or has no such image. */
  distributionInspect(image: string, options?: CallOptions & { readonly registryAuth?: string }): Promise<DistributionInfo | undefined>;
}
