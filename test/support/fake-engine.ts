/**
 * An in-memory Engine for unit tests of decisions: the executor's ordering and concurrency, and
 * what `up`, `down`, log following and watch's carry-out ask of the engine. It keeps the state a
 * real engine keeps for a project (containers with their labels, status and published ports,
 * networks, volumes, images), lists it by the project label, emits the container events a real
 * engine emits (create, start, die, destroy), streams the log lines a test gives a container,
 * records every call, can delay calls to expose parallelism, and fails the calls a test names.
 * Behaviour against the real engine is covered by the e2e tests.
 */
import { CancelledError, EngineError } from '../../src/errors.js';
import { LABEL } from '../../src/model/labels.js';
import type {
  BuildCapabilities,
  ContainerAttachment,
  ContainerCreateRequest,
  ContainerDetails,
  ContainerMount,
  ContainerStatus,
  ContainerSummary,
  Engine,
  EngineEvent,
  ExecOptions,
  ExecResult,
  ImageSummary,
  LogLine,
  LogOptions,
  NetworkSpec,
  NetworkSummary,
  PublishedPort,
  VolumeSpec,
  VolumeSummary,
} from '../../src/apply/engine.js';

export interface FakeCall {
  readonly method: string;
  /** The container id or name, network or volume name the call acts on. */
  readonly target: string;
}

type Failure = (call: FakeCall) => Error | undefined;

export interface FakeContainer {
  readonly id: string;
  name: string;
  readonly labels: Record<string, string>;
  status: ContainerStatus;
  exitCode: number;
  readonly image: string;
  readonly imageId: string;
  readonly networks: string[];
  readonly networkMode: string;
  readonly mounts: ContainerMount[];
  readonly ports: PublishedPort[];
  /** Whether the container was created with a healthcheck (it then reports healthy while running). */
  readonly healthcheck: boolean;
  readonly created: number;
  startedAt: string;
  finishedAt: string;
}

const NEVER = '0001-01-01T00:00:00Z';

/** A queue that an async iterator drains; ends when closed. */
class Channel<T> {
  private readonly items: T[] = [];
  private waiting?: () => void;
  private closed = false;
  push(item: T): void {
    this.items.push(item);
    this.waiting?.();
  }
  close(): void {
    this.closed = true;
    this.waiting?.();
  }
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }
}

export class FakeEngine implements Engine {
  readonly description = 'fake engine';
  readonly calls: FakeCall[] = [];
  readonly containers = new Map<string, FakeContainer>();
  readonly networks = new Map<string, NetworkSummary>();
  readonly volumes = new Map<string, VolumeSummary>();
  /** Images present, by id; with `allImagesPresent` (the default) any reference asked for is there (`sha256:<reference>`). */
  readonly images = new Map<string, ImageSummary & { repoTags: string[] }>();
  allImagesPresent = true;
  /** What each container (by name) has written, in order. */
  readonly output = new Map<string, LogLine[]>();
  inFlight = 0;
  maxInFlight = 0;
  /** Every call takes this long (ms), so parallel calls overlap. */
  delayMs = 0;
  closed = false;
  private readonly failures: Failure[] = [];
  private readonly subscribers = new Set<Channel<EngineEvent>>();
  private readonly stateWaiters = new Set<() => void>();
  private nextId = 1;
  private nextPort = 32768;
  private clock = 1_700_000_000_000;

  failWhen(failure: Failure): void {
    this.failures.push(failure);
  }

  /** How many event streams are open (a follower subscribes before it relies on events). */
  get eventSubscribers(): number {
    return this.subscribers.size;
  }

  methods(): string[] {
    return this.calls.map((call) => `${call.method} ${call.target}`);
  }

  /** The calls that change the engine, in order (for tests that check a run changed nothing). */
  changes(): string[] {
    return this.methods().filter((call) => /^(create|start|stop|kill|restart|remove|rename|connect|disconnect|build|pull)/.test(call));
  }

  private async step<T>(method: string, target: string, result: () => T): Promise<T> {
    const call = { method, target };
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      for (const failure of this.failures) {
        const error = failure(call);
        if (error) throw error;
      }
      return result();
    } finally {
      this.inFlight--;
    }
  }

  private container(idOrName: string, operation: string): FakeContainer {
    const found = this.containers.get(idOrName) ?? [...this.containers.values()].find((container) => container.name === idOrName);
    if (!found) throw new EngineError(`No such container: ${idOrName}`, { operation, resource: idOrName, statusCode: 404 });
    return found;
  }

  private nameOf(id: string): string {
    return this.containers.get(id)?.name ?? id;
  }

  private now(): number {
    return (this.clock += 1000);
  }

  private emit(container: FakeContainer, action: string, extra: Record<string, string> = {}): void {
    const event: EngineEvent = {
      type: 'container',
      action,
      id: container.id,
      attributes: { ...container.labels, name: container.name, image: container.image, ...extra },
      time: this.now(),
    };
    for (const subscriber of this.subscribers) subscriber.push(event);
    for (const wake of [...this.stateWaiters]) wake();
  }

  /** Resolves on the next state change of any container. */
  private changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.stateWaiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.stateWaiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  // --- what a test does to the engine from outside (another tool, the container itself)

  /** Makes a container exist, as it would on a real engine. */
  addContainer(id: string, name: string, labels: Record<string, string>, running = true): FakeContainer {
    const container = this.makeContainer(id, name, labels, { image: 'busybox', status: running ? 'running' : 'created' });
    this.containers.set(id, container);
    return container;
  }

  /** The container's main process writes a line (seen by attached streams and followed logs). */
  write(name: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const lines = this.output.get(name) ?? [];
    lines.push({ stream, text, timestamp: new Date(this.now()).toISOString() });
    this.output.set(name, lines);
    for (const wake of [...this.stateWaiters]) wake();
  }

  /** The container's main process exits by itself. */
  exit(name: string, exitCode: number): void {
    const container = this.container(name, 'exit');
    container.status = 'exited';
    container.exitCode = exitCode;
    container.finishedAt = new Date(this.now()).toISOString();
    this.emit(container, 'die', { exitCode: String(exitCode) });
  }

  /** The names of the project's containers by status, sorted: `{ running: ['p-web-1'] }`. */
  statusOf(project: string): Record<string, string[]> {
    const byStatus: Record<string, string[]> = {};
    for (const container of this.containers.values()) {
      if (container.labels[LABEL.project] !== project) continue;
      (byStatus[container.status] ??= []).push(container.name);
    }
    for (const names of Object.values(byStatus)) names.sort();
    return byStatus;
  }

  private makeContainer(
    id: string,
    name: string,
    labels: Record<string, string>,
    details: { image: string; status: ContainerStatus; networks?: string[]; networkMode?: string; ports?: PublishedPort[]; mounts?: ContainerMount[]; healthcheck?: boolean },
  ): FakeContainer {
    return {
      id,
      name,
      labels,
      status: details.status,
      exitCode: 0,
      image: details.image,
      imageId: this.imageByReference(details.image)?.id ?? `sha256:${details.image}`,
      networks: details.networks ?? [],
      networkMode: details.networkMode ?? '',
      mounts: details.mounts ?? [],
      ports: details.ports ?? [],
      healthcheck: details.healthcheck ?? false,
      created: Math.floor(this.now() / 1000),
      startedAt: details.status === 'running' ? new Date(this.clock).toISOString() : NEVER,
      finishedAt: NEVER,
    };
  }

  private summary(container: FakeContainer): ContainerSummary {
    return {
      id: container.id,
      name: container.name,
      image: container.image,
      imageId: container.imageId,
      status: container.status,
      statusText: container.status === 'running' ? 'Up 1 second' : `Exited (${container.exitCode}) 1 second ago`,
      labels: container.labels,
      created: container.created,
      networks: container.networks,
      networkMode: container.networkMode,
      mounts: container.mounts,
      ports: container.status === 'running' ? container.ports : [],
    };
  }

  // --- Engine

  async ping(): Promise<void> {}
  async version() {
    return { version: 'fake', apiVersion: '1.41', os: 'linux', arch: 'amd64' };
  }
  async listContainers(project: string): Promise<ContainerSummary[]> {
    return [...this.containers.values()].filter((container) => container.labels[LABEL.project] === project).map((container) => this.summary(container));
  }
  async listNetworks(project: string): Promise<NetworkSummary[]> {
    return [...this.networks.values()].filter((network) => network.labels[LABEL.project] === project);
  }
  async listVolumes(project: string): Promise<VolumeSummary[]> {
    return [...this.volumes.values()].filter((volume) => volume.labels[LABEL.project] === project);
  }
  async inspectContainer(idOrName: string): Promise<ContainerDetails> {
    const container = this.container(idOrName, 'inspect container');
    const running = container.status === 'running';
    return {
      id: container.id,
      name: container.name,
      image: container.image,
      imageId: container.imageId,
      created: '2024-01-01T00:00:00Z',
      state: {
        status: container.status,
        running,
        paused: container.status === 'paused',
        restarting: container.status === 'restarting',
        oomKilled: false,
        dead: container.status === 'dead',
        pid: running ? 1 : 0,
        exitCode: container.exitCode,
        error: '',
        startedAt: container.startedAt,
        finishedAt: container.finishedAt,
        ...(container.healthcheck ? { health: { status: running ? ('healthy' as const) : ('none' as const), failingStreak: 0, log: [] } } : {}),
      },
      restartCount: 0,
      labels: container.labels,
      tty: false,
      openStdin: false,
      mounts: container.mounts,
      networks: {},
    };
  }
  async inspectNetwork(idOrName: string): Promise<NetworkSummary | undefined> {
    return this.networks.get(idOrName) ?? [...this.networks.values()].find((network) => network.id === idOrName);
  }
  async inspectVolume(name: string): Promise<VolumeSummary | undefined> {
    return this.volumes.get(name);
  }
  private imageByReference(ref: string): (ImageSummary & { repoTags: string[] }) | undefined {
    return this.images.get(ref) ?? [...this.images.values()].find((image) => image.repoTags.includes(ref));
  }
  /** Makes `id` the image tagged `tags`: a tag moves from the image that had it, as on a real engine. */
  private tagImage(id: string, tags: readonly string[]): void {
    for (const image of this.images.values()) image.repoTags = image.repoTags.filter((tag) => !tags.includes(tag));
    const image = this.images.get(id) ?? { id, repoTags: [], repoDigests: [], created: '', labels: {}, volumes: [], os: 'linux', architecture: 'amd64' };
    image.repoTags.push(...tags);
    this.images.set(id, image);
  }
  async inspectImage(ref: string): Promise<ImageSummary | undefined> {
    const known = this.imageByReference(ref);
    if (known || !this.allImagesPresent || ref.startsWith('sha256:')) return known;
    this.tagImage(`sha256:${ref}`, [ref]);
    return this.imageByReference(ref);
  }
  pullImage(ref: string): Promise<void> {
    return this.step('pullImage', ref, () => this.tagImage(`sha256:${ref}`, [ref]));
  }
  pushImage(ref: string): Promise<void> {
    return this.step('pushImage', ref, () => undefined);
  }
  buildCapabilities(): Promise<BuildCapabilities> {
    return Promise.resolve({ buildkit: true, platform: 'linux/amd64' });
  }
  buildImage(spec: { readonly tags: readonly string[] }): Promise<string> {
    return this.step('buildImage', spec.tags.join(' '), () => {
      const id = `sha256:built${this.nextId++}`;
      this.tagImage(id, spec.tags);
      return id;
    });
  }
  removeImage(ref: string): Promise<void> {
    return this.step('removeImage', ref, () => {
      const image = this.imageByReference(ref);
      if (image) this.images.delete(image.id);
    });
  }
  createNetwork(spec: NetworkSpec): Promise<string> {
    return this.step('createNetwork', spec.name, () => {
      const id = `net-${spec.name}`;
      this.networks.set(spec.name, {
        id,
        name: spec.name,
        driver: spec.driver ?? 'bridge',
        scope: 'local',
        internal: spec.internal ?? false,
        attachable: spec.attachable ?? false,
        labels: { ...spec.labels },
        created: new Date(this.now()).toISOString(),
      });
      return id;
    });
  }
  removeNetwork(idOrName: string): Promise<void> {
    const name = [...this.networks.values()].find((network) => network.id === idOrName)?.name ?? idOrName;
    return this.step('removeNetwork', name, () => {
      for (const [name, network] of this.networks) if (name === idOrName || network.id === idOrName) this.networks.delete(name);
    });
  }
  connectNetwork(network: string, container: string): Promise<void> {
    return this.step('connectNetwork', `${network} ${this.nameOf(container)}`, () => {
      const entry = this.containers.get(container);
      if (entry && !entry.networks.includes(network)) entry.networks.push(network);
    });
  }
  disconnectNetwork(network: string, container: string): Promise<void> {
    return this.step('disconnectNetwork', `${network} ${this.nameOf(container)}`, () => {
      const entry = this.containers.get(container);
      const index = entry?.networks.indexOf(network) ?? -1;
      if (index >= 0) entry!.networks.splice(index, 1);
    });
  }
  createVolume(spec: VolumeSpec): Promise<VolumeSummary> {
    return this.step('createVolume', spec.name, () => {
      const volume = { name: spec.name, driver: spec.driver ?? 'local', mountpoint: `/var/lib/docker/volumes/${spec.name}/_data`, labels: { ...spec.labels } };
      this.volumes.set(spec.name, volume);
      return volume;
    });
  }
  removeVolume(name: string): Promise<void> {
    return this.step('removeVolume', name, () => {
      this.volumes.delete(name);
    });
  }
  createContainer(request: ContainerCreateRequest): Promise<string> {
    return this.step('createContainer', request.name, () => {
      if ([...this.containers.values()].some((container) => container.name === request.name)) {
        throw new EngineError(`Conflict. The container name "/${request.name}" is already in use`, { operation: 'create container', resource: request.name, statusCode: 409 });
      }
      const { config } = request;
      const host = config.HostConfig;
      const ports: PublishedPort[] = Object.entries(host.PortBindings ?? {}).flatMap(([key, bindings]) => {
        const [privatePort, protocol = 'tcp'] = key.split('/');
        return bindings.map((binding) => ({
          privatePort: Number(privatePort),
          publicPort: binding.HostPort === '' ? this.nextPort++ : Number(binding.HostPort),
          hostIp: binding.HostIp === '' ? '0.0.0.0' : binding.HostIp,
          protocol,
        }));
      });
      const mounts: ContainerMount[] = (host.Mounts ?? [])
        .filter((mount) => mount.Type === 'volume' || mount.Type === 'bind')
        .map((mount) => ({
          type: mount.Type,
          ...(mount.Type === 'volume' ? { name: mount.Source, driver: 'local' } : {}),
          source: mount.Source ?? '',
          destination: mount.Target,
          readOnly: mount.ReadOnly ?? false,
        }));
      const id = `id${this.nextId++}`;
      const container = this.makeContainer(id, request.name, { ...(config.Labels ?? {}) }, {
        image: config.Image,
        status: 'created',
        networks: Object.keys(config.NetworkingConfig?.EndpointsConfig ?? {}),
        networkMode: host.NetworkMode ?? '',
        ports,
        mounts,
        healthcheck: config.Healthcheck?.Test !== undefined && config.Healthcheck.Test[0] !== 'NONE',
      });
      this.containers.set(id, container);
      this.emit(container, 'create');
      return id;
    });
  }
  startContainer(id: string): Promise<void> {
    return this.step('startContainer', this.nameOf(id), () => {
      const container = this.container(id, 'start container');
      if (container.status === 'running') return;
      container.status = 'running';
      container.startedAt = new Date(this.now()).toISOString();
      this.emit(container, 'start');
    });
  }
  stopContainer(id: string): Promise<void> {
    return this.step('stopContainer', this.nameOf(id), () => {
      const container = this.container(id, 'stop container');
      if (container.status !== 'running') return;
      this.exit(container.id, 0);
      this.emit(container, 'stop');
    });
  }
  killContainer(id: string): Promise<void> {
    return this.step('killContainer', this.nameOf(id), () => {
      const container = this.container(id, 'kill container');
      if (container.status === 'running') this.exit(container.id, 137);
    });
  }
  restartContainer(id: string): Promise<void> {
    return this.step('restartContainer', this.nameOf(id), () => {
      const container = this.container(id, 'restart container');
      if (container.status === 'running') this.exit(container.id, 0);
      container.status = 'running';
      container.startedAt = new Date(this.now()).toISOString();
      this.emit(container, 'start');
    });
  }
  removeContainer(id: string): Promise<void> {
    const name = this.nameOf(id);
    return this.step('removeContainer', name, () => {
      const container = this.containers.get(id) ?? [...this.containers.values()].find((entry) => entry.name === id);
      if (!container) return;
      this.containers.delete(container.id);
      this.emit(container, 'destroy');
    });
  }
  renameContainer(id: string, newName: string): Promise<void> {
    return this.step('renameContainer', `${this.nameOf(id)} -> ${newName}`, () => {
      const container = this.containers.get(id);
      if (container) container.name = newName;
    });
  }
  async attachContainer(id: string, options: { readonly signal?: AbortSignal } = {}): Promise<ContainerAttachment> {
    const container = this.container(id, 'attach container');
    const detach = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, detach.signal]) : detach.signal;
    // Attached before start: everything the container writes from now on, until it stops.
    const from = (this.output.get(container.name) ?? []).length;
    return { output: this.stream(container, from, signal, true), detach: () => detach.abort() };
  }
  async waitContainer(id: string, options: { readonly signal?: AbortSignal } = {}): Promise<number> {
    const container = this.container(id, 'wait container');
    while (container.status === 'running' || container.status === 'created') {
      if (options.signal?.aborted) throw new CancelledError();
      await this.changed(options.signal);
    }
    return container.exitCode;
  }
  logs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const container = this.container(id, 'container logs');
    const lines = this.output.get(container.name) ?? [];
    const from = options.tail === undefined || options.tail === 'all' ? 0 : Math.max(0, lines.length - options.tail);
    return this.stream(container, from, options.signal, options.follow === true);
  }
  /** The container's lines from `from` on; following, until it stops running (or the signal aborts). */
  private async *stream(container: FakeContainer, from: number, signal: AbortSignal | undefined, follow: boolean): AsyncGenerator<LogLine> {
    let next = from;
    for (;;) {
      const lines = this.output.get(container.name) ?? [];
      while (next < lines.length) yield lines[next++];
      const ended = !follow || signal?.aborted || !this.containers.has(container.id) || (container.status !== 'running' && container.status !== 'created');
      if (ended) return;
      await this.changed(signal);
    }
  }
  /** The options of every exec, in order. */
  readonly execs: { readonly container: string; readonly options: ExecOptions }[] = [];
  /** What an exec returns (default: exit 0, no output). */
  execResult: (options: ExecOptions) => ExecResult = () => ({ exitCode: 0, stdout: '', stderr: '' });
  exec(id: string, options: ExecOptions): Promise<ExecResult> {
    return this.step('exec', `${this.nameOf(id)} ${options.command.join(' ')}`, () => {
      this.execs.push({ container: this.nameOf(id), options });
      return this.execResult(options);
    });
  }
  /** The archives put into containers, in order. */
  readonly archives: { readonly container: string; readonly path: string; readonly archive: Buffer | NodeJS.ReadableStream }[] = [];
  putArchive(id: string, path: string, archive: Buffer | NodeJS.ReadableStream): Promise<void> {
    return this.step('putArchive', `${this.nameOf(id)} ${path}`, () => {
      this.archives.push({ container: this.nameOf(id), path, archive });
    });
  }
  async getArchive(): Promise<Buffer> {
    return Buffer.alloc(0);
  }
  events(project: string, options: { readonly signal?: AbortSignal } = {}): AsyncIterable<EngineEvent> {
    const channel = new Channel<EngineEvent>();
    this.subscribers.add(channel);
    const end = (): void => {
      this.subscribers.delete(channel);
      channel.close();
    };
    if (options.signal?.aborted) end();
    options.signal?.addEventListener('abort', end, { once: true });
    const drained = channel.drain();
    return {
      async *[Symbol.asyncIterator]() {
        for await (const event of drained) if (event.attributes[LABEL.project] === project) yield event;
      },
    };
  }
  close(): void {
    this.closed = true;
  }

  // The CLI's container commands: covered by the e2e tests against the real engine.
  pauseContainer(id: string): Promise<void> {
    return this.step('pauseContainer', this.nameOf(id), () => {
      const container = this.container(id, 'pause container');
      if (container.status === 'running') container.status = 'paused';
    });
  }
  unpauseContainer(id: string): Promise<void> {
    return this.step('unpauseContainer', this.nameOf(id), () => {
      const container = this.container(id, 'unpause container');
      if (container.status === 'paused') container.status = 'running';
    });
  }
  async listComposeContainers(): Promise<ContainerSummary[]> {
    return [...this.containers.values()].filter((container) => container.labels[LABEL.project] !== undefined).map((container) => this.summary(container));
  }
  startExec(): Promise<never> {
    return Promise.reject(new Error('startExec is not part of the fake engine'));
  }
  attachStreams(): Promise<never> {
    return Promise.reject(new Error('attachStreams is not part of the fake engine'));
  }
  async resizeContainer(): Promise<void> {}
  async topContainer(): Promise<{ titles: string[]; processes: string[][] }> {
    return { titles: [], processes: [] };
  }
  async *containerStats(): AsyncIterable<never> {}
  async statContainerPath(): Promise<undefined> {
    return undefined;
  }
  archiveStream(): Promise<never> {
    return Promise.reject(new Error('archiveStream is not part of the fake engine'));
  }
  async extractArchive(): Promise<void> {}
  async *containerEvents(): AsyncIterable<never> {}
}
