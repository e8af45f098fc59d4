/**
 * The API's project: loaded once (files, environment, profiles, name, as the CLI's global flags
 * say them), then brought up, listed, read from and taken down. Each call connects to the engine
 * and closes the connection before it returns, takes an AbortSignal, reports progress as typed
 * events, and writes nothing to stdout or stderr.
 */
import type { ExecResult, PublishedPort } from '../apply/engine.js';
import { CancelledError, ConfigError, UsageError } from '../errors.js';
import type { LoadedProject } from '../load/types.js';
import { composeDocument } from '../model/render/compose-document.js';
import { LABEL } from '../model/labels.js';
import { toProject } from '../model/index.js';
import type { Project } from '../model/types.js';
import { describePlan } from '../plan/describe-plan.js';
import type { Plan } from '../plan/plan.js';
import { converge } from './converge.js';
import { takeDown } from './down.js';
import { connectFromEnvironment, openEngineSession, type ConnectEngine, type EngineSession } from './engine-session.js';
import { eventReporter, type EventListener } from './events.js';
import { loadAndValidate } from './load-project.js';
import { logEntries, type ExitEntry, type LogEntry } from './logs.js';
import { publishedPort, type PublishedAddress } from './port.js';
import { inspectStates, listContainers } from './ps.js';
import { pickServiceContainer } from './service-containers.js';
import { noSuchServiceMessage } from '../validate/no-such-service.js';
import { validateForEngine } from '../validate/index.js';

/** Every call's options. */
export interface CallOptions {
  /**
   * Ends the call: nothing new is started, waits end, and the engine calls in flight finish, so the
   * project is left in a state the next call converges from. The call then rejects with a
   * `CancelledError`.
   */
  readonly signal?: AbortSignal;
  /** Progress and warnings of this call (default: the listener given to `loadProject`). */
  readonly onEvent?: EventListener;
}

/** Where the project comes from: the CLI's global flags, as options. */
export interface LoadProjectOptions {
  /** The directory a command would run in (default: the process's). Relative paths start here. */
  readonly cwd?: string;
  /** `-f`: the compose files, merged in order (default: discovery, or COMPOSE_FILE). */
  readonly files?: readonly string[];
  /** `-p` (default: COMPOSE_PROJECT_NAME, `name:`, or the project directory's name). */
  readonly projectName?: string;
  /** `--project-directory` (default: the directory of the first file). */
  readonly projectDirectory?: string;
  /** `--profile`: enable these profiles. */
  readonly profiles?: readonly string[];
  /** `--env-file`: instead of the project directory's `.env`. */
  readonly envFiles?: readonly string[];
  /** The environment variables the files are interpolated with (default: the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Warnings of the loader, and the default listener of every call on the project. */
  readonly onEvent?: EventListener;
  /** @internal An engine other than the environment's (unit tests). */
  readonly connectEngine?: ConnectEngine;
}

export interface UpOptions extends CallOptions {
  /** Only these services, and their dependencies unless `noDeps` (default: every enabled service). */
  readonly services?: readonly string[];
  readonly noDeps?: boolean;
  /** Wait until every targeted container runs, and is healthy when it has a healthcheck (`up --wait`). */
  readonly wait?: boolean;
  /** How long `wait` and `depends_on` conditions may take (default: TSCOMPOSE_WAIT_TIMEOUT, else 300). */
  readonly waitTimeoutSeconds?: number;
  /** Build every service that has a build section, even when its image is there (`--build`). */
  readonly build?: boolean;
  /** Never build; a missing image that needs building is an error (`--no-build`). */
  readonly noBuild?: boolean;
  /** Instead of each service's `pull_policy` (`--pull`). */
  readonly pull?: 'always' | 'missing' | 'never' | 'build';
  /** Recreate the containers even when nothing changed (`--force-recreate`). */
  readonly forceRecreate?: boolean;
  /** Keep existing containers even when their configuration changed (`--no-recreate`). */
  readonly noRecreate?: boolean;
  /** Remove the containers of services the files no longer define (`--remove-orphans`). */
  readonly removeOrphans?: boolean;
  /** Replicas by service, instead of `scale` and `deploy.replicas` (`--scale`). */
  readonly scale?: Readonly<Record<string, number>>;
  /** Seconds a replaced container gets to stop before it is killed (`-t`; default: its stop_grace_period). */
  readonly stopTimeoutSeconds?: number;
  /** Recreate the volumes whose definition changed, losing their data (`-y`); by default they are kept and a warning says so. */
  readonly recreateChangedVolumes?: boolean;
}

export interface DownOptions extends CallOptions {
  /** Only these services (default: all). */
  readonly services?: readonly string[];
  /** Also remove the project's named volumes and its containers' anonymous volumes (`-v`). */
  readonly volumes?: boolean;
  /** Also remove the containers of services the files no longer define (`--remove-orphans`). */
  readonly removeOrphans?: boolean;
  /** Also remove images: the ones built for services without `image:` (`local`), or all the services use (`all`). */
  readonly images?: 'local' | 'all';
  /** Seconds a container gets to stop before it is killed (`-t`; default: its stop_grace_period). */
  readonly timeoutSeconds?: number;
}

export interface PsOptions extends CallOptions {
  /** Only these services (default: all, orphans included). */
  readonly services?: readonly string[];
  /** Stopped and one-off containers too (`-a`). */
  readonly all?: boolean;
}

/** A container of the project, as `ps` shows it. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** The replica number (`web-2` is 2). */
  readonly number: number;
  /** Made by `run`. */
  readonly oneOff: boolean;
  readonly state: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  /** The engine's words: `Up 3 minutes (healthy)`. */
  readonly status: string;
  /** For a running container with a healthcheck. */
  readonly health?: 'starting' | 'healthy' | 'unhealthy';
  /** For a stopped container. */
  readonly exitCode?: number;
  readonly image: string;
  readonly ports: readonly PublishedPort[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface LogsOptions extends CallOptions {
  /** Only these services (default: the project's services). */
  readonly services?: readonly string[];
  /** Keep reading as the containers write, until none of them runs or the signal aborts (`-f`). */
  readonly follow?: boolean;
  /** The last lines only (`-n`). */
  readonly tail?: number;
  /** Lines since this time: Unix seconds, RFC 3339, or a duration before now (`10m`). */
  readonly since?: number | string;
  readonly until?: number | string;
  /** Called when a followed container stops. */
  readonly onExit?: (exit: ExitEntry) => void;
}

export interface PortOptions extends CallOptions {
  /** `tcp` (default), `udp` or `sctp`. */
  readonly protocol?: string;
  /** The replica (default: the first running one). */
  readonly index?: number;
}

export interface ExecOptions extends CallOptions {
  /** The replica (default: the first running one). */
  readonly index?: number;
  readonly user?: string;
  readonly workingDir?: string;
  /** Variables for the command. */
  readonly env?: Readonly<Record<string, string>>;
  readonly privileged?: boolean;
}

/** Loads, interpolates and validates the project; rejects with a `ConfigError` listing every problem with its position. */
export async function loadProject(options: LoadProjectOptions = {}): Promise<ComposeProject> {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const loaded = await loadAndValidate({
    cwd: options.cwd ?? process.cwd(),
    env,
    options: {
      files: options.files ?? [],
      profiles: options.profiles ?? [],
      envFiles: options.envFiles ?? [],
      ...(options.projectName === undefined ? {} : { projectName: options.projectName }),
      ...(options.projectDirectory === undefined ? {} : { projectDirectory: options.projectDirectory }),
    },
    warn: (message) => {
      warnings.push(message);
      options.onEvent?.({ type: 'warning', message });
    },
  });
  return new ComposeProject(loaded, env, warnings, options);
}

/** Never aborts: the engine calls in flight always finish (see CallOptions.signal). */
const NEVER = new AbortController().signal;

export class ComposeProject {
  /** The project name: the prefix of its containers, networks and volumes. */
  readonly name: string;
  /** The project directory. */
  readonly workingDir: string;
  /** The enabled services (profiles applied), in no particular order. */
  readonly services: readonly string[];
  /** What the loader warned about (unset variables, obsolete attributes, host access). */
  readonly warnings: readonly string[];
  private readonly project: Project;
  private readonly connect: ConnectEngine;

  /** @internal Use `loadProject`. */
  constructor(
    private readonly loaded: LoadedProject,
    private readonly env: Readonly<Record<string, string | undefined>>,
    warnings: readonly string[],
    private readonly options: LoadProjectOptions,
  ) {
    this.project = toProject(loaded);
    this.name = this.project.name;
    this.workingDir = this.project.workingDir;
    this.services = Object.keys(this.project.services);
    this.warnings = warnings;
    this.connect = options.connectEngine ?? connectFromEnvironment(env, (message) => options.onEvent?.({ type: 'warning', message }));
  }

  /**
   * The project as `config --format json` prints it: Compose's canonical form (long syntax,
   * defaults, absolute paths, names), as a plain object. Values are as interpolated (the text form
   * escapes `$` as `$$`; this object does not).
   */
  config(): Record<string, unknown> {
    return composeDocument(this.project, 'json');
  }

  /** Creates, recreates and starts what the files ask for; pulls and builds the missing images first. */
  async up(options: UpOptions = {}): Promise<void> {
    if (options.build && options.noBuild) throw new UsageError('build and noBuild cannot both be set');
    if (options.forceRecreate && options.noRecreate) throw new UsageError('forceRecreate and noRecreate cannot both be set');
    const listener = options.onEvent ?? this.options.onEvent;
    const scale = options.scale ?? {};
    for (const [service, replicas] of Object.entries(scale)) {
      if (!Number.isInteger(replicas) || replicas < 0) throw new UsageError(`scale.${service} must be a whole number of replicas, not ${replicas}`);
    }
    // What an engine without Swarm cannot run is refused here, with positions, as the CLI's up does.
    const refused = validateForEngine(this.loaded);
    if (refused.length > 0) throw new ConfigError(refused, this.loaded.sources);
    await this.withSession(options, 'up', async (session, signal) => {
      await converge(
        {
          engine: session.engine,
          project: this.project,
          environment: this.loaded.environment,
          env: this.env,
          sealKey: session.sealKey,
          signal,
          forceSignal: NEVER,
          progress: () => eventReporter(listener),
          warn: (message) => listener?.({ type: 'warning', message }),
        },
        {
          services: options.services ?? [],
          noDeps: options.noDeps ?? false,
          recreate: options.forceRecreate ? 'force' : options.noRecreate ? 'never' : 'diverged',
          recreateDependencies: options.noRecreate ? 'never' : 'diverged',
          removeOrphans: options.removeOrphans ?? false,
          scale,
          ...(options.stopTimeoutSeconds === undefined ? {} : { timeoutSeconds: options.stopTimeoutSeconds }),
          ...(options.waitTimeoutSeconds === undefined ? {} : { waitTimeoutSeconds: options.waitTimeoutSeconds }),
          images: {
            ...(options.pull === 'build' ? { build: true } : options.pull === undefined ? {} : { pull: options.pull }),
            ...(options.build ? { build: true } : {}),
            ...(options.noBuild ? { noBuild: true } : {}),
            onBuildOutput: (service, line) => listener?.({ type: 'build-output', service, line }),
          },
          reportUntouched: true,
          wait: options.wait ?? false,
          onPlan: (plan: Plan) => listener?.({ type: 'plan', actions: describePlan(plan) }),
          confirmVolumes: async (diverged) => new Set(options.recreateChangedVolumes ? diverged.map((volume) => volume.key) : []),
        },
      );
    });
  }

  /** Stops and removes the project's containers and networks (and with `volumes`, its volumes); only what carries its labels. */
  async down(options: DownOptions = {}): Promise<void> {
    const listener = options.onEvent ?? this.options.onEvent;
    await this.withSession(options, 'down', (session, signal) =>
      takeDown(
        { engine: session.engine, progress: eventReporter(listener), signal, forceSignal: NEVER, warn: (message) => listener?.({ type: 'warning', message }) },
        {
          projectName: this.name,
          project: this.project,
          services: options.services ?? [],
          removeOrphans: options.removeOrphans ?? false,
          volumes: options.volumes ?? false,
          ...(options.images === undefined ? {} : { rmi: options.images }),
          ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
          onPlan: (plan: Plan) => listener?.({ type: 'plan', actions: describePlan(plan) }),
        },
      ),
    );
  }

  /** The project's containers (running ones unless `all`), with their health and exit codes. */
  async ps(options: PsOptions = {}): Promise<ContainerInfo[]> {
    this.checkServices(options.services ?? []);
    return this.withEngine(options, async (engine, signal) => {
      const containers = await listContainers(engine, this.name, { all: options.all ?? false, services: options.services ?? [], signal });
      const states = await inspectStates(engine, containers, { signal });
      return containers.map((container): ContainerInfo => {
        const state = states.get(container.id);
        const health = state?.health;
        return {
          id: container.id,
          name: container.name,
          service: container.labels[LABEL.service] ?? '',
          number: Number(container.labels[LABEL.containerNumber] ?? 0),
          oneOff: container.labels[LABEL.oneoff] === 'True',
          state: container.status,
          status: container.statusText,
          ...(health === 'starting' || health === 'healthy' || health === 'unhealthy' ? { health } : {}),
          ...(container.status === 'exited' || container.status === 'dead' ? { exitCode: state?.exitCode ?? 0 } : {}),
          image: container.image,
          ports: container.ports,
          labels: container.labels,
        };
      });
    });
  }

  /**
   * The containers' output, line by line: what they wrote so far in the order they wrote it, and
   * with `follow` what they write next, until none of them runs (or the signal aborts, or the loop
   * is left).
   */
  async *logs(options: LogsOptions = {}): AsyncIterable<LogEntry> {
    const services = options.services ?? this.services;
    this.checkServices(services);
    const { engine } = await this.connect();
    try {
      yield* logEntries(engine, this.name, services, {
        follow: options.follow ?? false,
        ...(options.tail === undefined ? {} : { tail: options.tail }),
        ...(options.since === undefined ? {} : { since: options.since }),
        ...(options.until === undefined ? {} : { until: options.until }),
        ...(options.onExit ? { onExit: options.onExit } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      engine.close();
    }
  }

  /** Where a container port of the service is published on the host: `port('web', 80)` -> `{ host: '0.0.0.0', port: 32768 }`. */
  async port(service: string, privatePort: number, options: PortOptions = {}): Promise<PublishedAddress> {
    this.checkServices([service]);
    return this.withEngine(options, (engine, signal) =>
      publishedPort(engine, this.name, service, privatePort, {
        signal,
        ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
        ...(options.index === undefined ? {} : { index: options.index }),
      }),
    );
  }

  /** Runs a command to completion in a running container of the service and returns its exit code and output. */
  async exec(service: string, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (command.length === 0) throw new UsageError('exec needs a command');
    this.checkServices([service]);
    return this.withEngine(options, async (engine, signal) => {
      const container = await pickServiceContainer({ signal }, engine, this.name, service, options.index === undefined ? {} : { index: options.index });
      return engine.exec(container.id, {
        command,
        signal,
        ...(options.user === undefined ? {} : { user: options.user }),
        ...(options.workingDir === undefined ? {} : { workingDir: options.workingDir }),
        ...(options.env === undefined ? {} : { env: Object.entries(options.env).map(([key, value]) => `${key}=${value}`) }),
        ...(options.privileged === undefined ? {} : { privileged: options.privileged }),
      });
    });
  }

  private checkServices(services: readonly string[]): void {
    const unknown = services.filter((service) => this.project.services[service] === undefined && this.project.disabledServices[service] === undefined);
    if (unknown.length > 0) throw new UsageError(noSuchServiceMessage(unknown, [...Object.keys(this.project.services), ...Object.keys(this.project.disabledServices)]));
  }

  private async withEngine<T>(options: CallOptions, body: (engine: EngineSession['engine'], signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = options.signal ?? NEVER;
    const { engine } = await this.connect();
    try {
      return await cancellable(signal, () => body(engine, signal));
    } finally {
      engine.close();
    }
  }

  private async withSession(options: CallOptions, command: string, body: (session: EngineSession, signal: AbortSignal) => Promise<void>): Promise<void> {
    const signal = options.signal ?? NEVER;
    const listener = options.onEvent ?? this.options.onEvent;
    const session = await openEngineSession({ connect: this.connect, env: this.env, signal, forceSignal: NEVER, warn: (message) => listener?.({ type: 'warning', message }) });
    try {
      await session.lock(this.name, command);
      await cancellable(signal, () => body(session, signal));
    } finally {
      session.close();
    }
  }
}

/** An aborted call rejects with CancelledError, whatever the step that noticed it threw. */
async function cancellable<T>(signal: AbortSignal, body: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw new CancelledError();
  try {
    return await body();
  } catch (error) {
    if (signal.aborted && !(error instanceof CancelledError)) throw new CancelledError();
    throw error;
  }
}
