/**
 * Following containers' output as they run, restart and stop: `logs -f` and attached `up` both
 * use the ContainerFollower.
 *
 * - Each followed container streams through the printer: an attach stream opened before it
 *   started (attached `up`, so no line is lost) or a log stream.
 * - Every matching container that starts later (a new one, a restart by its policy, `start` of a
 *   stopped one) is picked up from the engine's events; `<name> exited with code N` is printed
 *   each time one stops. Following ends once none of the containers that keep it going is left
 *   running or about to restart, as Compose does, or when the signal aborts (Ctrl-C).
 * - A run that follows an earlier one is read from the earlier run's FinishedAt, so nothing is
 *   printed twice and nothing is lost (StartedAt would lose lines: the engine stamps the first
 *   output before it records the start). Exit codes come from the `die` events, because a
 *   container restarted by its policy is already running again, exit code reset, when its output
 *   stream ends.
 * - A broken connection (reliability F5) is not the end: the event stream is subscribed again from
 *   the last event seen, the containers are listed again (level-triggered: whatever happened in
 *   the gap is seen), an output stream that ended while its container still runs is resumed from
 *   where it broke off, and a one-line notice says so. Only an engine that stays away fails it.
 */
import type { ContainerSummary, Engine, EngineEvent, LogLine, LogOptions } from '../apply/engine.js';
import { abortableSleep } from '../apply/abort-signals.js';
import { EngineError } from '../errors.js';
import { isProjectContainer, LABEL } from '../model/labels.js';
import { rfc3339ToUnixText } from './log-time.js';
import { displayName } from './container-display-name.js';
import { RecentLines, RESUME_OVERLAP_MS, skipPrinted } from './resume-overlap.js';

/** Where followed output goes: the CLI's LogPrinter (prefixed lines on a terminal), the API's stream of lines. */
export interface OutputSink {
  /** Announces a container (by its display name, `web-1`) before its output arrives. */
  register(name: string, service: string): void;
  /** Passes on one line of a container's stream. */
  line(name: string, line: LogLine): void;
  /** A container's stream ended. */
  end(name: string): void;
  /** A followed container stopped: `web-1 exited with code 0`. */
  exited(name: string, exitCode: number): void;
}

export interface ContainerExit {
  readonly id: string;
  /** As printed: `web-1`. */
  readonly name: string;
  readonly service: string;
  readonly exitCode: number;
  /** Its restart policy brings it back. */
  readonly restarting: boolean;
}

export interface FollowSettings {
  readonly printer: OutputSink;
  /** tail / since / until for the containers already there, and the first run of a container found later. */
  readonly query: LogOptions;
  readonly timestamps: boolean;
  /** Which containers (by labels) are followed. */
  readonly wanted: (labels: Readonly<Record<string, string>>) => boolean;
  /** Unix seconds, taken before the containers were listed: start events from then on are seen. */
  readonly since: number;
  /** Whether a service's output is printed (default: yes); the others are followed for their exits. */
  readonly printed?: (service: string) => boolean;
  /** Whether a service's containers keep following going (default: yes). */
  readonly keepsAlive?: (service: string) => boolean;
  /** Called for every exit of a followed container, after its line is printed. */
  readonly onExit?: (exit: ContainerExit) => void;
  /** One-line notices (a re-subscribed stream). */
  readonly notice?: (message: string) => void;
  readonly now?: () => number;
}

/** A container as the follower knows it. */
export interface FollowedContainer {
  readonly id: string;
  /** As printed: `web-1`. */
  readonly name: string;
  readonly service: string;
}

/** How long a finished output stream waits for the `die` event that carries its exit code. */
const EXIT_EVENT_WAIT_MS = 2000;
/** How long an engine that stopped answering may stay away before following fails. */
const RECONNECT_BUDGET_MS = 30_000;
const RECONNECT_PAUSE_MS = 500;

export async function followLogs(
  engine: Engine,
  projectName: string,
  initial: readonly ContainerSummary[],
  settings: FollowSettings,
  signal: AbortSignal,
): Promise<void> {
  const follower = new ContainerFollower(engine, projectName, settings, signal);
  follower.start();
  const following = initial.filter((container) => container.status === 'running' || container.status === 'paused');
  for (const container of following) follower.follow(followedContainer(container), settings.query);
  // Between two runs of its restart policy: printed once now, its next start event resumes it.
  for (const container of initial) if (container.status === 'restarting') follower.awaitRestart(followedContainer(container));
  // Stopped containers: their logs once, and no exit line (Compose prints none for them either).
  const printOnce = initial.filter((container) => !following.includes(container));
  try {
    await Promise.all(
      printOnce.map((container) =>
        passOn(
          settings.printer,
          displayName(container.name, container.labels),
          engine.logs(container.id, { ...settings.query, timestamps: settings.timestamps, signal }),
        ),
      ),
    );
  } catch (error) {
    follower.stop();
    await follower.done().catch(() => undefined);
    throw error;
  }
  await follower.done();
}

/** Passes every line of a container's output to the sink as it arrives, then its end. */
export async function passOn(sink: OutputSink, name: string, lines: AsyncIterable<LogLine>): Promise<void> {
  for await (const line of lines) sink.line(name, line);
  sink.end(name);
}

function followedContainer(container: { id: string; name: string; labels: Readonly<Record<string, string>> }): FollowedContainer {
  return { id: container.id, name: displayName(container.name, container.labels), service: container.labels[LABEL.service] ?? '' };
}

export class ContainerFollower {
  private readonly halt = new AbortController();
  /** Followed now, or waiting for a restart, among those that keep following going. */
  private readonly alive = new Set<string>();
  private readonly streaming = new Set<string>();
  /** Output ended, what comes next not decided yet (see streamEnded). */
  private readonly deciding = new Set<string>();
  private readonly known = new Map<string, FollowedContainer>();
  private readonly exitCodes = new Map<string, number[]>();
  private readonly exitWaiters = new Map<string, (code: number | undefined) => void>();
  /** Events already handled, so a replay after re-subscribing is not handled twice. */
  private readonly seenEvents = new Map<string, number>();
  private readonly tasks: Promise<void>[] = [];
  private events?: Promise<void>;
  private failure: unknown;
  private sealed = false;
  private finish!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.finish = resolve));
  private ending?: Promise<void>;

  constructor(
    private readonly engine: Engine,
    private readonly projectName: string,
    private readonly settings: FollowSettings,
    private readonly signal: AbortSignal,
  ) {}

  /** Starts watching the engine's events; call it before the containers to follow start. */
  start(): void {
    if (this.events) return;
    const onAbort = (): void => this.stop();
    this.signal.addEventListener('abort', onAbort, { once: true });
    this.halt.signal.addEventListener('abort', () => this.signal.removeEventListener('abort', onAbort), { once: true });
    if (this.signal.aborted) this.stop();
    this.events = this.watchEvents().catch((error: unknown) => this.fail(error));
  }

  /** Follows an output stream opened before the container started (or a fresh one). */
  attach(container: FollowedContainer, lines: AsyncIterable<LogLine>): void {
    if (this.halted || this.streaming.has(container.id)) return;
    this.stream(this.register(container), this.settings.timestamps ? stampOnArrival(lines, this.now) : lines);
  }

  /** Follows a container's log stream. */
  follow(container: FollowedContainer, options: LogOptions): void {
    if (this.halted || this.streaming.has(container.id)) return;
    this.stream(this.register(container), this.logs(container.id, options));
  }

  /** A container between two runs of its restart policy: its next start event resumes it. */
  awaitRestart(container: FollowedContainer): void {
    const known = this.register(container);
    if (this.keepsAlive(known)) this.alive.add(known.id);
  }

  /** Aborts when following ends: streams opened for `attach` should end with it. */
  get endSignal(): AbortSignal {
    return this.halt.signal;
  }

  /** Whether the follower has this container already (its restarts and exits are its business then). */
  knows(id: string): boolean {
    return this.known.has(id);
  }

  /** Every container followed so far. */
  containers(): FollowedContainer[] {
    return [...this.known.values()];
  }

  /**
   * No more containers are added by the caller: resolves once none that keeps following going is
   * left (or `stop()`, or the signal), after every stream has ended; throws what broke following.
   */
  done(): Promise<void> {
    this.ending ??= (async () => {
      this.sealed = true;
      this.settle();
      await this.finished;
      this.halt.abort();
      for (const resolve of this.exitWaiters.values()) resolve(undefined);
      await Promise.allSettled([...this.tasks, this.events]);
      if (this.failure !== undefined) throw this.failure;
    })();
    return this.ending;
  }

  /** Ends following now. */
  stop(): void {
    this.halt.abort();
    this.finish();
  }

  private get halted(): boolean {
    return this.halt.signal.aborted;
  }

  private now = (): number => (this.settings.now ?? Date.now)();

  private register(container: FollowedContainer): FollowedContainer {
    const known = this.known.get(container.id) ?? container;
    this.known.set(container.id, known);
    if (this.printed(known)) this.settings.printer.register(known.name, known.service);
    return known;
  }

  private printed(container: FollowedContainer): boolean {
    return this.settings.printed?.(container.service) ?? true;
  }

  private keepsAlive(container: FollowedContainer): boolean {
    return this.settings.keepsAlive?.(container.service) ?? true;
  }

  private settle(): void {
    if (this.sealed && this.alive.size === 0) this.finish();
  }

  private fail(error: unknown): void {
    if (this.halted) return;
    this.failure ??= error;
    this.finish();
  }

  private logs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    return this.engine.logs(id, { ...options, follow: true, timestamps: this.settings.timestamps, signal: this.halt.signal });
  }

  private stream(container: FollowedContainer, lines: AsyncIterable<LogLine>): void {
    if (this.keepsAlive(container)) this.alive.add(container.id);
    this.streaming.add(container.id);
    // Where a broken stream resumes: just before the last line that arrived (see resume-overlap.ts).
    let resumeAt = this.now();
    const recent = new RecentLines();
    const printer = this.printed(container) ? this.settings.printer : undefined;
    const task = (async () => {
      try {
        // One loop per line, not a chain of async generators: `logs -f` of chatty services spends its time here.
        for await (const line of lines) {
          resumeAt = this.now();
          recent.remember(line, resumeAt);
          printer?.line(container.name, line);
        }
        printer?.end(container.name);
      } catch (error) {
        // A broken stream is handled like an ended one: the container's state decides what follows.
        if (this.halted) return;
        if (!(error instanceof EngineError)) throw error;
      } finally {
        this.streaming.delete(container.id);
      }
      if (this.halted) return;
      this.deciding.add(container.id);
      try {
        await this.streamEnded(container, resumeAt, recent);
      } finally {
        this.deciding.delete(container.id);
      }
      this.settle();
    })().catch((error: unknown) => this.fail(error));
    this.tasks.push(task);
  }

  /** `resumeAt`: when its last line arrived (or it began), in case the stream broke off. */
  private async streamEnded(container: FollowedContainer, resumeAt: number, recent: RecentLines): Promise<void> {
    const { query } = this.settings;
    // --until: the window is over, whatever the container does next.
    if (query.until !== undefined) {
      this.alive.delete(container.id);
      return;
    }
    const exitCode = await this.nextExitCode(container.id);
    const details = await this.untilReachable(() => this.engine.inspectContainer(container.id, { signal: this.halt.signal })).catch((error: unknown) => {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    });
    if (this.halted) return;
    if (details === undefined) {
      if (exitCode !== undefined) this.exited(container, exitCode, false);
      this.alive.delete(container.id);
    } else if (details.state.status === 'running' || details.state.status === 'paused') {
      if (exitCode !== undefined) {
        // Restarted before this noticed: report the exit, carry on with the new run.
        this.exited(container, exitCode, true);
        if (!this.streaming.has(container.id)) this.stream(container, this.logs(container.id, this.resumeFrom(details.state.finishedAt)));
      } else if (!this.streaming.has(container.id)) {
        // It never stopped: the connection broke. Carry on from where the stream broke off.
        this.settings.notice?.(`the output stream of ${container.name} broke off; following it again`);
        const resumed = this.engine.logs(container.id, {
          since: unixSeconds(resumeAt - RESUME_OVERLAP_MS),
          follow: true,
          timestamps: true,
          signal: this.halt.signal,
        });
        this.stream(container, skipPrinted(resumed, recent.since(resumeAt)));
      }
    } else {
      const restarting = details.state.restarting || details.state.status === 'restarting';
      this.exited(container, exitCode ?? details.state.exitCode, restarting);
      // A restart policy brings it back: its start event resumes it.
      if (!restarting) this.alive.delete(container.id);
    }
  }

  private exited(container: FollowedContainer, exitCode: number, restarting: boolean): void {
    this.settings.printer.exited(container.name, exitCode);
    this.settings.onExit?.({ ...container, exitCode, restarting });
  }

  private resumeFrom(finishedAt: string): LogOptions {
    const since = finishedAt.startsWith('0001-') ? undefined : rfc3339ToUnixText(finishedAt);
    return since === undefined ? this.settings.query : { since };
  }

  /**
   * The event stream, subscribed again whenever it breaks: from the second of the last event seen
   * (the engine replays what followed; `seen` drops what was already handled), after the containers
   * were listed again, since the gap may have hidden starts and stops.
   */
  private async watchEvents(): Promise<void> {
    let since = this.settings.since;
    /** When the attempts in a row that got nowhere began. */
    let failingSince: number | undefined;
    for (;;) {
      const attemptStarted = this.now();
      let delivered = false;
      let failure: unknown;
      try {
        for await (const event of this.engine.events(this.projectName, { since, signal: this.halt.signal })) {
          delivered = true;
          since = Math.floor(event.time / 1000);
          if (this.seen(event)) continue;
          await this.handle(event);
        }
      } catch (error) {
        if (this.halted) return;
        if (!(error instanceof EngineError)) throw error;
        failure = error;
      }
      if (this.halted) return;
      // A stream that delivered, or lasted a while, worked: only attempts that get nowhere add up.
      const worked = delivered || this.now() - attemptStarted > RECONNECT_BUDGET_MS / 6;
      failingSince = worked ? undefined : (failingSince ?? attemptStarted);
      if (failingSince !== undefined && this.now() - failingSince > RECONNECT_BUDGET_MS) {
        throw failure ?? new EngineError(`the engine at ${this.engine.description} keeps closing its event stream`, { operation: 'follow engine events' });
      }
      if (!delivered) await abortableSleep(RECONNECT_PAUSE_MS, this.halt.signal);
      await this.untilReachable(() => this.engine.ping({ signal: this.halt.signal }));
      if (this.halted) return;
      this.settings.notice?.("the engine's event stream broke off; subscribed again and read the containers' state again");
      await this.relist();
    }
  }

  /** Runs `call`, retrying while the engine does not answer (within the reconnect budget). */
  private async untilReachable<T>(call: () => Promise<T>): Promise<T> {
    const started = this.now();
    for (;;) {
      try {
        return await call();
      } catch (error) {
        const transient = error instanceof EngineError && (error.kind === 'unreachable' || error.kind === 'timeout');
        if (this.halted || !transient || this.now() - started > RECONNECT_BUDGET_MS) throw error;
        await abortableSleep(RECONNECT_PAUSE_MS, this.halt.signal);
      }
    }
  }

  private seen(event: EngineEvent): boolean {
    const key = `${event.time} ${event.id} ${event.action}`;
    if (this.seenEvents.has(key)) return true;
    this.seenEvents.set(key, event.time);
    // Only the last few seconds can be replayed (re-subscribing starts at the last event's second).
    if (this.seenEvents.size > 256) {
      for (const [old, time] of this.seenEvents) if (time < event.time - 5000) this.seenEvents.delete(old);
    }
    return false;
  }

  private async handle(event: EngineEvent): Promise<void> {
    // The event filter is the project label alone (networks and volumes share it): a container
    // without a config hash is not the project's (P6), as the container list says.
    if (event.type !== 'container' || !isProjectContainer(event.attributes, this.projectName) || !this.settings.wanted(event.attributes)) return;
    if (event.action === 'die') this.recordExit(event.id, Number(event.attributes.exitCode ?? NaN));
    if (event.action !== 'start' || this.streaming.has(event.id)) return;
    const details = await this.engine.inspectContainer(event.id, { signal: this.halt.signal }).catch(() => undefined);
    if (!details || details.state.status !== 'running' || this.streaming.has(event.id) || this.halted) return;
    const container = this.register(followedContainer(details));
    this.stream(container, this.logs(event.id, this.resumeFrom(details.state.finishedAt)));
  }

  /** After a gap: whatever started meanwhile is followed, whatever was removed is let go. */
  private async relist(): Promise<void> {
    const containers = await this.untilReachable(() => this.engine.listContainers(this.projectName, { signal: this.halt.signal }));
    if (this.halted) return;
    const present = new Set(containers.map((container) => container.id));
    for (const id of [...this.alive]) if (!present.has(id) && !this.streaming.has(id)) this.alive.delete(id);
    for (const summary of containers) {
      // A container whose stream just ended is streamEnded's to resume (from the right point).
      if (!this.settings.wanted(summary.labels) || this.streaming.has(summary.id) || this.deciding.has(summary.id)) continue;
      if (summary.status === 'restarting') {
        this.awaitRestart(followedContainer(summary));
      } else if (summary.status === 'running' || summary.status === 'paused') {
        const details = await this.engine.inspectContainer(summary.id, { signal: this.halt.signal }).catch(() => undefined);
        if (!details || this.streaming.has(summary.id) || this.halted) continue;
        this.stream(this.register(followedContainer(details)), this.logs(summary.id, this.resumeFrom(details.state.finishedAt)));
      }
    }
    this.settle();
  }

  private recordExit(id: string, code: number): void {
    const exitCode = Number.isInteger(code) ? code : undefined;
    const waiter = this.exitWaiters.get(id);
    if (waiter) {
      this.exitWaiters.delete(id);
      waiter(exitCode);
    } else if (exitCode !== undefined) {
      this.exitCodes.set(id, [...(this.exitCodes.get(id) ?? []), exitCode]);
    }
  }

  /** The exit code of the run whose output just ended: from its `die` event, waited for briefly. */
  private nextExitCode(id: string): Promise<number | undefined> {
    const queued = this.exitCodes.get(id);
    if (queued && queued.length > 0) return Promise.resolve(queued.shift());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.exitWaiters.delete(id);
        resolve(undefined);
      }, EXIT_EVENT_WAIT_MS);
      this.exitWaiters.set(id, (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }
}

/** Attach streams carry no timestamps: `--timestamps` shows when each line arrived. */
async function* stampOnArrival(lines: AsyncIterable<LogLine>, now: () => number): AsyncIterable<LogLine> {
  for await (const line of lines) yield line.timestamp ? line : { ...line, timestamp: rfc3339Nano(now()) };
}

/** The engine's timestamp format (nine fraction digits), so stamped and engine lines line up. */
function rfc3339Nano(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Unix seconds with nine fraction digits, as the engine's `since` reads them. */
function unixSeconds(milliseconds: number): string {
  const whole = Math.floor(milliseconds / 1000);
  return `${whole}.${String(Math.floor(milliseconds - whole * 1000)).padStart(3, '0')}000000`;
}
