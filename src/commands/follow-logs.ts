/**
 * `logs -f`: follows the project's running containers, picks up every matching container that
 * starts later (a new one, a restart by its policy, `start` of a stopped one) from the engine's
 * events, prints `<name> exited with code N` when one stops, and ends once none is left running,
 * as Compose does, or when the signal aborts (Ctrl-C).
 *
 * A run that follows an earlier one is read from the earlier run's FinishedAt, so nothing is
 * printed twice and nothing is lost (StartedAt would lose lines: the engine stamps the first
 * output before it records the start). Exit codes come from the `die` events, because a container
 * restarted by its policy is already running again, exit code reset, when its log stream ends.
 */
import type { ContainerSummary, Engine, LogOptions } from '../apply/engine.js';
import { EngineError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { rfc3339ToUnixText } from './log-time.js';
import { displayName } from './container-display-name.js';
import type { LogPrinter } from './output/log-printer.js';

export interface FollowSettings {
  readonly printer: LogPrinter;
  /** tail / since / until for the containers already there. */
  readonly query: LogOptions;
  readonly timestamps: boolean;
  /** Which containers (by labels) are followed. */
  readonly wanted: (labels: Readonly<Record<string, string>>) => boolean;
  /** Unix seconds, taken before the containers were listed: start events from then on are seen. */
  readonly since: number;
}

/** How long a finished log stream waits for the `die` event that carries its exit code. */
const EXIT_EVENT_WAIT_MS = 2000;

export async function followLogs(
  engine: Engine,
  projectName: string,
  initial: readonly ContainerSummary[],
  settings: FollowSettings,
  signal: AbortSignal,
): Promise<void> {
  await new LogFollower(engine, projectName, settings, signal).run(initial);
}

class LogFollower {
  private readonly stop = new AbortController();
  /** Followed now, or waiting for a restart: the command ends when this is empty. */
  private readonly alive = new Set<string>();
  private readonly streaming = new Set<string>();
  private readonly exitCodes = new Map<string, number[]>();
  private readonly exitWaiters = new Map<string, (code: number | undefined) => void>();
  private readonly tasks: Promise<void>[] = [];
  private failure: unknown;
  private finish!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(
    private readonly engine: Engine,
    private readonly projectName: string,
    private readonly settings: FollowSettings,
    private readonly signal: AbortSignal,
  ) {}

  async run(initial: readonly ContainerSummary[]): Promise<void> {
    const onAbort = (): void => this.stop.abort();
    this.signal.addEventListener('abort', onAbort, { once: true });
    this.stop.signal.addEventListener('abort', () => this.finish(), { once: true });
    if (this.signal.aborted) this.stop.abort();
    const events = this.watchEvents().catch((error: unknown) => this.fail(error));

    const { printer, query } = this.settings;
    const following = initial.filter((container) => container.status === 'running' || container.status === 'paused');
    for (const container of following) this.stream(container.id, displayName(container.name, container.labels), query);
    // Between two runs of its restart policy: printed once now, its next start event resumes it.
    for (const container of initial) if (container.status === 'restarting') this.alive.add(container.id);
    // Stopped containers: their logs once, and no exit line (Compose prints none for them either).
    const printOnce = initial.filter((container) => !following.includes(container));
    await Promise.all(
      printOnce.map((container) =>
        printer.pipe(displayName(container.name, container.labels), this.engine.logs(container.id, { ...query, timestamps: this.settings.timestamps, signal: this.stop.signal })),
      ),
    ).catch((error: unknown) => this.fail(error));
    this.settle();

    await this.finished;
    this.stop.abort();
    this.signal.removeEventListener('abort', onAbort);
    for (const resolve of this.exitWaiters.values()) resolve(undefined);
    await Promise.allSettled([...this.tasks, events]);
    if (this.failure !== undefined) throw this.failure;
  }

  private settle(): void {
    if (this.alive.size === 0) this.finish();
  }

  private fail(error: unknown): void {
    if (this.stop.signal.aborted) return;
    this.failure ??= error;
    this.finish();
  }

  private stream(id: string, name: string, options: LogOptions): void {
    this.alive.add(id);
    this.streaming.add(id);
    const task = (async () => {
      await this.settings.printer.pipe(
        name,
        this.engine.logs(id, { ...options, follow: true, timestamps: this.settings.timestamps, signal: this.stop.signal }),
      );
      this.streaming.delete(id);
      if (this.stop.signal.aborted) return;
      await this.streamEnded(id, name);
      this.settle();
    })().catch((error: unknown) => this.fail(error));
    this.tasks.push(task);
  }

  private async streamEnded(id: string, name: string): Promise<void> {
    const { printer, query } = this.settings;
    // --until: the window is over, whatever the container does next.
    if (query.until !== undefined) {
      this.alive.delete(id);
      return;
    }
    const exitCode = await this.nextExitCode(id);
    const details = await this.engine.inspectContainer(id, { signal: this.stop.signal }).catch((error: unknown) => {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    });
    if (this.stop.signal.aborted) return;
    if (details === undefined) {
      this.alive.delete(id);
    } else if (details.state.status === 'running') {
      // Restarted before this noticed: report the exit, carry on with the new run.
      if (exitCode !== undefined) printer.exited(name, exitCode);
      if (!this.streaming.has(id)) this.stream(id, name, this.resumeFrom(details.state.finishedAt));
    } else {
      printer.exited(name, exitCode ?? details.state.exitCode);
      // A restart policy brings it back: its start event resumes it.
      if (!details.state.restarting && details.state.status !== 'restarting') this.alive.delete(id);
    }
  }

  private resumeFrom(finishedAt: string): LogOptions {
    const since = finishedAt.startsWith('0001-') ? undefined : rfc3339ToUnixText(finishedAt);
    return since === undefined ? this.settings.query : { since };
  }

  private async watchEvents(): Promise<void> {
    for await (const event of this.engine.events(this.projectName, { since: this.settings.since, signal: this.stop.signal })) {
      if (event.type !== 'container' || !this.settings.wanted(event.attributes)) continue;
      if (event.action === 'die') this.recordExit(event.id, Number(event.attributes.exitCode ?? NaN));
      if (event.action !== 'start' || this.streaming.has(event.id)) continue;
      const details = await this.engine.inspectContainer(event.id, { signal: this.stop.signal }).catch(() => undefined);
      if (!details || details.state.status !== 'running' || this.streaming.has(event.id)) continue;
      const name = displayName(details.name, details.labels);
      this.settings.printer.register(name, details.labels[LABEL.service] ?? '');
      this.stream(event.id, name, this.resumeFrom(details.state.finishedAt));
    }
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

  /** The exit code of the run whose log just ended: from its `die` event, waited for briefly. */
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
