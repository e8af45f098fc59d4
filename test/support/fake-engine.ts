/**
 * An in-memory Engine for the executor's unit tests (ordering, concurrency, rollback, re-plan):
 * it records every call, can delay calls to expose parallelism, and fails the calls a test names.
 * Behaviour against the real engine is covered by the e2e tests.
 */
import { EngineError } from '../../src/errors.js';
import type {
  ContainerCreateRequest,
  ContainerDetails,
  ContainerSummary,
  Engine,
  ExecOptions,
  ExecResult,
  ImageSummary,
  NetworkSpec,
  NetworkSummary,
  VolumeSpec,
  VolumeSummary,
} from '../../src/apply/engine.js';

export interface FakeCall {
  readonly method: string;
  /** The container id or name, network or volume name the call acts on. */
  readonly target: string;
}

type Failure = (call: FakeCall) => Error | undefined;

export class FakeEngine implements Engine {
  readonly description = 'fake engine';
  readonly calls: FakeCall[] = [];
  readonly containers = new Map<string, { name: string; labels: Record<string, string>; running: boolean }>();
  inFlight = 0;
  maxInFlight = 0;
  /** Every call takes this long (ms), so parallel calls overlap. */
  delayMs = 0;
  private readonly failures: Failure[] = [];
  private nextId = 1;

  failWhen(failure: Failure): void {
    this.failures.push(failure);
  }

  methods(): string[] {
    return this.calls.map((call) => `${call.method} ${call.target}`);
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

  private nameOf(id: string): string {
    return this.containers.get(id)?.name ?? id;
  }

  async ping(): Promise<void> {}
  async version() {
    return { version: 'fake', apiVersion: '1.41', os: 'linux', arch: 'amd64' };
  }
  async listContainers(): Promise<ContainerSummary[]> {
    return [];
  }
  async listNetworks(): Promise<NetworkSummary[]> {
    return [];
  }
  async listVolumes(): Promise<VolumeSummary[]> {
    return [];
  }
  async inspectContainer(idOrName: string): Promise<ContainerDetails> {
    const entry = [...this.containers.entries()].find(([id, container]) => id === idOrName || container.name === idOrName);
    if (!entry) throw new EngineError(`no such container: ${idOrName}`, { operation: 'inspect container', statusCode: 404 });
    const [id, container] = entry;
    return {
      id,
      name: container.name,
      image: 'busybox',
      imageId: 'sha256:image',
      created: '2024-01-01T00:00:00Z',
      state: {
        status: container.running ? 'running' : 'created',
        running: container.running,
        paused: false,
        restarting: false,
        oomKilled: false,
        dead: false,
        pid: 1,
        exitCode: 0,
        error: '',
        startedAt: '2024-01-01T00:00:00Z',
        finishedAt: '0001-01-01T00:00:00Z',
        health: { status: 'healthy', failingStreak: 0, log: [] },
      },
      restartCount: 0,
      labels: container.labels,
      tty: false,
      openStdin: false,
      mounts: [],
      networks: {},
    };
  }
  async inspectNetwork(): Promise<NetworkSummary | undefined> {
    return undefined;
  }
  async inspectVolume(): Promise<VolumeSummary | undefined> {
    return undefined;
  }
  async inspectImage(ref: string): Promise<ImageSummary | undefined> {
    return { id: `sha256:${ref}`, repoTags: [ref], repoDigests: [], created: '', labels: {}, volumes: [], os: 'linux', architecture: 'amd64' };
  }
  async pullImage(): Promise<void> {}
  async buildImage(): Promise<string> {
    return 'sha256:built';
  }
  async removeImage(): Promise<void> {}
  createNetwork(spec: NetworkSpec): Promise<string> {
    return this.step('createNetwork', spec.name, () => `net-${spec.name}`);
  }
  removeNetwork(idOrName: string): Promise<void> {
    return this.step('removeNetwork', idOrName, () => undefined);
  }
  connectNetwork(network: string, container: string): Promise<void> {
    return this.step('connectNetwork', `${network} ${this.nameOf(container)}`, () => undefined);
  }
  disconnectNetwork(network: string, container: string): Promise<void> {
    return this.step('disconnectNetwork', `${network} ${this.nameOf(container)}`, () => undefined);
  }
  createVolume(spec: VolumeSpec): Promise<VolumeSummary> {
    return this.step('createVolume', spec.name, () => ({ name: spec.name, driver: 'local', mountpoint: '', labels: spec.labels }));
  }
  removeVolume(name: string): Promise<void> {
    return this.step('removeVolume', name, () => undefined);
  }
  createContainer(request: ContainerCreateRequest): Promise<string> {
    return this.step('createContainer', request.name, () => {
      const id = `id${this.nextId++}`;
      this.containers.set(id, { name: request.name, labels: { ...(request.config.Labels ?? {}) }, running: false });
      return id;
    });
  }
  startContainer(id: string): Promise<void> {
    return this.step('startContainer', this.nameOf(id), () => {
      const container = this.containers.get(id);
      if (container) container.running = true;
    });
  }
  stopContainer(id: string): Promise<void> {
    return this.step('stopContainer', this.nameOf(id), () => {
      const container = this.containers.get(id);
      if (container) container.running = false;
    });
  }
  killContainer(id: string): Promise<void> {
    return this.step('killContainer', this.nameOf(id), () => undefined);
  }
  restartContainer(id: string): Promise<void> {
    return this.step('restartContainer', this.nameOf(id), () => undefined);
  }
  removeContainer(id: string): Promise<void> {
    const name = this.nameOf(id);
    return this.step('removeContainer', name, () => {
      this.containers.delete(id);
    });
  }
  renameContainer(id: string, newName: string): Promise<void> {
    return this.step('renameContainer', `${this.nameOf(id)} -> ${newName}`, () => {
      const container = this.containers.get(id);
      if (container) container.name = newName;
    });
  }
  async attachContainer(): Promise<never> {
    throw new Error('not used');
  }
  async waitContainer(): Promise<number> {
    return 0;
  }
  async *logs(): AsyncIterable<never> {}
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
  putArchive(id: string, path: string): Promise<void> {
    return this.step('putArchive', `${this.nameOf(id)} ${path}`, () => undefined);
  }
  async getArchive(): Promise<Buffer> {
    return Buffer.alloc(0);
  }
  async *events(): AsyncIterable<never> {}
  close(): void {}

  /** Makes an observed container exist in the fake, as it would on a real engine. */
  addContainer(id: string, name: string, labels: Record<string, string>, running = true): void {
    this.containers.set(id, { name, labels, running });
  }
}
