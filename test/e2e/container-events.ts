/**
 * The engine's own record of what happened to one container (which signals it was sent, when,
 * how it died), read through the docker CLI: facts that a loaded machine cannot distort the way
 * it distorts a stopwatch around a CLI run. Followed as a stream from before the action: the
 * engine replays only its last 256 events, and the other tests on the shared engine (health
 * probes every few hundred ms) can push ours out of that window within seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ContainerEvent {
  /** `kill`, `die`, `stop`, `start`, ... */
  readonly action: string;
  /** `signal` on a kill, `exitCode` on a die, the container's labels. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The engine's clock, in milliseconds (from its nanoseconds). */
  readonly timeMs: number;
}

class ContainerEvents {
  private readonly seen: ContainerEvent[] = [];
  private readonly child: ChildProcess;
  private readonly closed: Promise<void>;
  private wake?: () => void;

  /** Starts following the container's events now (replaying from this moment, in case the stream connects late). */
  constructor(container: string) {
    const since = (Date.now() / 1000).toFixed(3);
    this.child = spawn('docker', ['events', '--since', since, '--filter', 'type=container', '--filter', `container=${container}`, '--format', '{{json .}}'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.closed = new Promise((resolve) => this.child.on('close', () => resolve()));
    let pending = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const event = JSON.parse(line) as { Action: string; Actor: { Attributes?: Record<string, string> }; timeNano: number };
        this.seen.push({ action: event.Action, attributes: event.Actor.Attributes ?? {}, timeMs: event.timeNano / 1e6 });
      }
      this.wake?.();
    });
  }

  /**
   * Waits for an event with `action` (the action the engine records last for what the test did),
   * then stops following and returns every event seen, in the engine's order.
   */
  async until(action: string, timeoutMs = 30_000): Promise<ContainerEvent[]> {
    const deadline = Date.now() + timeoutMs;
    try {
      while (!this.seen.some((event) => event.action === action)) {
        if (Date.now() > deadline) throw new Error(`no ${action} event within ${timeoutMs} ms; seen: ${this.seen.map((event) => event.action).join(', ')}`);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 200);
        });
      }
      return [...this.seen];
    } finally {
      await this.close();
    }
  }

  /** Stops following. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.closed;
  }
}

/**
 * Runs `action` while following the container's events, until the engine has recorded
 * `lastAction` for it; returns what `action` returned and the events, in the engine's order.
 */
export async function eventsDuring<T>(container: string, lastAction: string, action: () => Promise<T>): Promise<{ result: T; events: ContainerEvent[] }> {
  const events = new ContainerEvents(container);
  try {
    const result = await action();
    return { result, events: await events.until(lastAction) };
  } finally {
    await events.close();
  }
}

/** The signals of the container's `kill` events, in order (as the engine numbers them: 15, 9, ...). */
export function killSignals(events: readonly ContainerEvent[]): string[] {
  return events.filter((event) => event.action === 'kill').map((event) => event.attributes.signal ?? '?');
}
