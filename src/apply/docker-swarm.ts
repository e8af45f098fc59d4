/**
 * SwarmEngine over the Docker engine's HTTP API. It never imports dockerode: docker-engine.ts
 * lends it the plumbing (deadlines, cancellation, error mapping, stream decoding) as a transport
 * of plain requests. Plain requests rather than dockerode's service helpers because those drop
 * the engine's warnings on create, put the whole spec into the URL on update, and have no call
 * for the registry's digest of an image.
 */
import { EngineError } from '../errors.js';
import { namespaceFilter } from '../model/stack/names.js';
import type { CallOptions, LogLine, NetworkSummary } from './engine.js';
import type {
  DistributionInfo,
  FileObjectInfo,
  FileObjectSpec,
  ListFilters,
  NodeInfo,
  ServiceInfo,
  ServicePort,
  ServiceSpec,
  SwarmEngine,
  SwarmInfo,
  TaskFilters,
  TaskInfo,
} from './swarm-engine.js';

export interface SwarmRequest {
  /** A verb phrase for messages: "create service". */
  readonly operation: string;
  readonly resource?: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Without a query string. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  readonly body?: unknown;
  /** Sent as X-Registry-Auth. */
  readonly registryAuth?: string;
}

/** What docker-engine.ts provides: one JSON answer per request, or a log stream as lines. */
export interface SwarmTransport {
  json(request: SwarmRequest, options?: CallOptions): Promise<unknown>;
  logLines(request: SwarmRequest & { readonly multiplexed: boolean }, signal?: AbortSignal): AsyncIterable<LogLine>;
}

/** Deadline for a registry lookup: an unreachable registry must not hold up a deploy for long. */
const DISTRIBUTION_TIMEOUT_MS = 15_000;

export function createDockerSwarm(transport: SwarmTransport): SwarmEngine {
  return new DockerSwarm(transport);
}

type Json = Record<string, unknown>;

function filtersQuery(filters: Readonly<Record<string, readonly string[] | undefined>>): { filters?: string } {
  const present = Object.fromEntries(Object.entries(filters).filter(([, values]) => values !== undefined && values.length > 0));
  return Object.keys(present).length === 0 ? {} : { filters: JSON.stringify(present) };
}

function listFilters(filters: ListFilters): Record<string, readonly string[] | undefined> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries({ ...(filters.other ?? {}) })) out[key] = [...values];
  for (const key of ['label', 'name', 'id'] as const) {
    const values = filters[key];
    if (values) out[key] = [...(out[key] ?? []), ...values];
  }
  return out;
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function labels(value: unknown): Record<string, string> {
  return record(value) as Record<string, string>;
}

function warnings(value: unknown): string[] {
  const list = record(value).Warnings;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
}

function toPorts(value: unknown): ServicePort[] {
  return Array.isArray(value) ? (value as ServicePort[]) : [];
}

function toServiceInfo(value: unknown): ServiceInfo {
  const info = record(value);
  const status = record(info.ServiceStatus);
  const update = info.UpdateStatus === undefined ? undefined : record(info.UpdateStatus);
  const iteration = record(record(info.JobStatus).JobIteration);
  return {
    id: text(info.ID),
    version: optionalNumber(record(info.Version).Index) ?? 0,
    createdAt: text(info.CreatedAt),
    updatedAt: text(info.UpdatedAt),
    spec: info.Spec as ServiceSpec,
    ...(info.PreviousSpec ? { previousSpec: info.PreviousSpec as ServiceSpec } : {}),
    ...(update ? { updateStatus: { state: text(update.State), message: text(update.Message) } } : {}),
    ...(info.ServiceStatus
      ? {
          runningTasks: optionalNumber(status.RunningTasks) ?? 0,
          desiredTasks: optionalNumber(status.DesiredTasks) ?? 0,
          completedTasks: optionalNumber(status.CompletedTasks) ?? 0,
        }
      : {}),
    ...(info.JobStatus ? { jobIteration: optionalNumber(iteration.Index) ?? 0 } : {}),
    endpointPorts: toPorts(record(info.Endpoint).Ports),
  };
}

function toTaskInfo(value: unknown): TaskInfo {
  const task = record(value);
  const status = record(task.Status);
  const container = record(status.ContainerStatus);
  const spec = record(record(task.Spec).ContainerSpec);
  const iteration = task.JobIteration === undefined ? undefined : optionalNumber(record(task.JobIteration).Index);
  return {
    id: text(task.ID),
    serviceId: text(task.ServiceID),
    nodeId: text(task.NodeID),
    ...(typeof task.Slot === 'number' && task.Slot > 0 ? { slot: task.Slot } : {}),
    createdAt: text(task.CreatedAt),
    updatedAt: text(task.UpdatedAt),
    timestamp: text(status.Timestamp),
    desiredState: text(task.DesiredState),
    state: text(status.State),
    message: text(status.Message),
    error: text(status.Err),
    ...(typeof container.ExitCode === 'number' ? { exitCode: container.ExitCode } : {}),
    ...(container.ContainerID ? { containerId: text(container.ContainerID) } : {}),
    image: text(spec.Image),
    ...(task.JobIteration === undefined ? {} : { jobIteration: iteration ?? 0 }),
    ports: toPorts(record(status.PortStatus).Ports),
  };
}

function toNodeInfo(value: unknown): NodeInfo {
  const node = record(value);
  const spec = record(node.Spec);
  const status = record(node.Status);
  return {
    id: text(node.ID),
    hostname: text(record(node.Description).Hostname),
    role: text(spec.Role),
    availability: text(spec.Availability),
    state: text(status.State),
    addr: text(status.Addr),
    labels: labels(spec.Labels),
  };
}

function toFileObject(value: unknown): FileObjectInfo {
  const object = record(value);
  const spec = record(object.Spec);
  return { id: text(object.ID), name: text(spec.Name), labels: labels(spec.Labels), createdAt: text(object.CreatedAt) };
}

function toNetworkSummary(value: unknown): NetworkSummary {
  const network = record(value);
  return {
    id: text(network.Id),
    name: text(network.Name),
    driver: text(network.Driver),
    scope: text(network.Scope),
    internal: network.Internal === true,
    attachable: network.Attachable === true,
    labels: labels(network.Labels),
    created: text(network.Created),
  };
}

class DockerSwarm implements SwarmEngine {
  constructor(private readonly transport: SwarmTransport) {}

  private async call(request: SwarmRequest, options?: CallOptions): Promise<unknown> {
    return this.transport.json(request, options);
  }

  async info(options?: CallOptions): Promise<SwarmInfo> {
    const info = record(await this.call({ operation: 'read the engine information', method: 'GET', path: '/info' }, options));
    const swarm = record(info.Swarm);
    return {
      localNodeState: text(swarm.LocalNodeState) || 'inactive',
      controlAvailable: swarm.ControlAvailable === true,
      nodeId: text(swarm.NodeID),
      nodes: optionalNumber(swarm.Nodes) ?? 0,
    };
  }

  async listServices(filters: ListFilters, options: CallOptions & { readonly status?: boolean } = {}): Promise<ServiceInfo[]> {
    const list = await this.call(
      {
        operation: 'list services',
        method: 'GET',
        path: '/services',
        query: { ...filtersQuery(listFilters(filters)), ...(options.status ? { status: true } : {}) },
      },
      options,
    );
    return Array.isArray(list) ? list.map(toServiceInfo) : [];
  }

  async inspectService(id: string, options?: CallOptions): Promise<ServiceInfo | undefined> {
    try {
      return toServiceInfo(await this.call({ operation: 'inspect service', resource: id, method: 'GET', path: `/services/${encodeURIComponent(id)}` }, options));
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  async createService(spec: ServiceSpec, options: CallOptions & { readonly registryAuth?: string } = {}): Promise<{ id: string; warnings: string[] }> {
    const answer = await this.call(
      { operation: 'create service', resource: spec.Name, method: 'POST', path: '/services/create', body: spec, ...auth(options.registryAuth) },
      options,
    );
    return { id: text(record(answer).ID), warnings: warnings(answer) };
  }

  async updateService(
    id: string,
    version: number,
    spec: ServiceSpec,
    options: CallOptions & { readonly registryAuth?: string; readonly rollback?: boolean } = {},
  ): Promise<{ warnings: string[] }> {
    const answer = await this.call(
      {
        operation: 'update service',
        resource: spec.Name,
        method: 'POST',
        path: `/services/${encodeURIComponent(id)}/update`,
        // Without registry credentials the engine keeps the ones the service was created with.
        query: { version, ...(options.registryAuth ? {} : { registryAuthFrom: 'spec' }), ...(options.rollback ? { rollback: 'previous' } : {}) },
        body: spec,
        ...auth(options.registryAuth),
      },
      options,
    );
    return { warnings: warnings(answer) };
  }

  async removeService(id: string, options?: CallOptions): Promise<void> {
    await this.call({ operation: 'remove service', resource: id, method: 'DELETE', path: `/services/${encodeURIComponent(id)}` }, options);
  }

  async listTasks(filters: TaskFilters, options?: CallOptions): Promise<TaskInfo[]> {
    // `_up-to-date` is the engine's filter for the Docker CLI's own progress display.
    const query = filtersQuery({ ...listFilters(filters), service: filters.service, ...(filters.upToDate ? { '_up-to-date': ['true'] } : {}) });
    const list = await this.call({ operation: 'list tasks', method: 'GET', path: '/tasks', query }, options);
    return Array.isArray(list) ? list.map(toTaskInfo) : [];
  }

  async *taskLogs(id: string, options: { readonly tail: number; readonly signal?: AbortSignal }): AsyncIterable<LogLine> {
    const task = record(await this.call({ operation: 'inspect task', resource: id, method: 'GET', path: `/tasks/${encodeURIComponent(id)}` }, { signal: options.signal }));
    const tty = record(record(task.Spec).ContainerSpec).TTY === true;
    yield* this.transport.logLines(
      {
        operation: 'read the output of task',
        resource: id,
        method: 'GET',
        path: `/tasks/${encodeURIComponent(id)}/logs`,
        query: { stdout: true, stderr: true, tail: String(options.tail) },
        multiplexed: !tty,
      },
      options.signal,
    );
  }

  async listTaskContainers(stack: string, options?: CallOptions): Promise<{ id: string; serviceId: string; state: string }[]> {
    const list = await this.call(
      { operation: 'list the task containers of stack', resource: stack, method: 'GET', path: '/containers/json', query: { all: true, ...filtersQuery({ label: [namespaceFilter(stack)] }) } },
      options,
    );
    return (Array.isArray(list) ? list.map(record) : []).map((container) => ({
      id: text(container.Id),
      serviceId: labels(container.Labels)['com.docker.swarm.service.id'] ?? '',
      state: text(container.State),
    }));
  }

  async listNodes(options?: CallOptions): Promise<NodeInfo[]> {
    const list = await this.call({ operation: 'list nodes', method: 'GET', path: '/nodes' }, options);
    return Array.isArray(list) ? list.map(toNodeInfo) : [];
  }

  async listNetworks(filters: ListFilters, options?: CallOptions): Promise<NetworkSummary[]> {
    const list = await this.call(
      { operation: 'list networks', method: 'GET', path: '/networks', query: filtersQuery({ ...listFilters(filters), scope: ['swarm'] }) },
      options,
    );
    return Array.isArray(list) ? list.map(toNetworkSummary) : [];
  }

  listSecrets(filters: ListFilters, options?: CallOptions): Promise<FileObjectInfo[]> {
    return this.listFileObjects('secrets', filters, options);
  }

  createSecret(spec: FileObjectSpec, options?: CallOptions): Promise<string> {
    return this.createFileObject('secrets', spec, options);
  }

  removeSecret(id: string, options?: CallOptions): Promise<void> {
    return this.removeFileObject('secrets', id, options);
  }

  listConfigs(filters: ListFilters, options?: CallOptions): Promise<FileObjectInfo[]> {
    return this.listFileObjects('configs', filters, options);
  }

  createConfig(spec: FileObjectSpec, options?: CallOptions): Promise<string> {
    return this.createFileObject('configs', spec, options);
  }

  removeConfig(id: string, options?: CallOptions): Promise<void> {
    return this.removeFileObject('configs', id, options);
  }

  private async listFileObjects(kind: 'secrets' | 'configs', filters: ListFilters, options?: CallOptions): Promise<FileObjectInfo[]> {
    const list = await this.call(
      { operation: `list ${kind}`, method: 'GET', path: `/${kind}`, query: filtersQuery(listFilters(filters)) },
      options,
    );
    return Array.isArray(list) ? list.map(toFileObject) : [];
  }

  private async createFileObject(kind: 'secrets' | 'configs', spec: FileObjectSpec, options?: CallOptions): Promise<string> {
    const answer = await this.call({ operation: `create ${kind.slice(0, -1)}`, resource: spec.Name, method: 'POST', path: `/${kind}/create`, body: spec }, options);
    return text(record(answer).ID);
  }

  private async removeFileObject(kind: 'secrets' | 'configs', id: string, options?: CallOptions): Promise<void> {
    await this.call({ operation: `remove ${kind.slice(0, -1)}`, resource: id, method: 'DELETE', path: `/${kind}/${encodeURIComponent(id)}` }, options);
  }

  async distributionInspect(image: string, options: CallOptions & { readonly registryAuth?: string } = {}): Promise<DistributionInfo | undefined> {
    try {
      const answer = record(
        await this.call(
          { operation: 'look up the registry digest of image', resource: image, method: 'GET', path: `/distribution/${image}/json`, ...auth(options.registryAuth) },
          { ...options, timeoutMs: options.timeoutMs ?? DISTRIBUTION_TIMEOUT_MS },
        ),
      );
      const descriptor = record(answer.Descriptor);
      const digest = text(descriptor.digest);
      if (digest === '') return undefined;
      const platforms = Array.isArray(answer.Platforms) ? answer.Platforms.map(record) : [];
      return {
        digest,
        platforms: platforms.map((platform) => ({ os: text(platform.os), architecture: text(platform.architecture) })),
      };
    } catch (error) {
      // Unreachable, unknown, unauthorised, slow: all mean "no digest", which callers handle.
      if (error instanceof EngineError && error.kind !== 'unreachable') return undefined;
      throw error;
    }
  }
}

function auth(registryAuth: string | undefined): { registryAuth?: string } {
  return registryAuth ? { registryAuth } : {};
}
