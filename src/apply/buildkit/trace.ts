/**
 * BuildKit's progress messages folded into a list of steps, and written out the way BuildKit's
 * own plain printer does (`docker build --progress plain`):
 *
 *     #5 [2/3] RUN make
 *     #5 0.512 gcc -o app main.c
 *     #5 DONE 1.3s
 *
 * Messages are deltas: a vertex (step) is announced, started, logs lines, completes, each in later
 * messages, merged by digest. Steps are numbered in the order they are first seen; a step's
 * number is printed when it starts, each whole line of its output with the seconds since it
 * started, and one closing line: CACHED, DONE, ERROR or CANCELED. The last output lines of each
 * step are kept, so a failure can say what the failing command printed.
 */
import type { BuildkitStatus } from '../engine.js';

export type StepState = 'running' | 'cached' | 'done' | 'error' | 'canceled';

export interface StepView {
  /** 1-based, in the order the engine first mentioned the step. */
  readonly index: number;
  /** `[2/3] RUN make`, `[internal] load build context`, `exporting to image`. */
  readonly name: string;
  readonly state: StepState;
  /** Seconds the step took (done), or has been running. */
  readonly seconds?: number;
  readonly error?: string;
  /** A line the step printed (with the `log` change only). */
  readonly log?: string;
}

export interface TraceSink {
  /** Plain lines, without a trailing newline. */
  line?(text: string): void;
  /** Each change of a step: started, a log line, finished. */
  step?(step: StepView, change: 'start' | 'log' | 'end'): void;
}

export interface BuildSummary {
  /** Dockerfile steps (`[i/n] ...`), not the engine's internal ones. */
  readonly steps: number;
  readonly cached: number;
  readonly seconds: number;
}

export interface StepFailure {
  readonly name: string;
  readonly error: string;
  readonly lastLines: readonly string[];
}

const KEPT_LINES = 10;
const DOCKERFILE_STEP = /^\[[^\]]*\d+\/\d+\]/;

interface Vertex {
  readonly index: number;
  name: string;
  cached: boolean;
  started?: number;
  completed?: number;
  error?: string;
  announced: boolean;
  closed: boolean;
  /** Unterminated output by stream. */
  partial: Map<number, string>;
  lastLines: string[];
  /** Transfers and other sub-tasks by id; printed once, when done (or when the step closes). */
  statuses: Map<string, { current: number; total: number; printed: boolean }>;
}

/** Seconds as BuildKit's printer shows log times: 3 decimals under 10 s, 2 under 100, then 1. */
function logTime(seconds: number): string {
  return seconds.toFixed(seconds < 10 ? 3 : seconds < 100 ? 2 : 1);
}

/** Bytes the way BuildKit prints transfer sizes: `134B`, `2.05kB`, `1.20MB`. */
export function byteSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value}B` : `${value.toFixed(2)}${units[unit]}`;
}

export class BuildTrace {
  private readonly vertexes = new Map<string, Vertex>();
  private first?: number;
  private last?: number;

  constructor(private readonly sink: TraceSink = {}) {}

  update(status: BuildkitStatus): void {
    const completedNow: Vertex[] = [];
    for (const update of status.vertexes) {
      let vertex = this.vertexes.get(update.digest);
      if (!vertex) {
        vertex = {
          index: this.vertexes.size + 1,
          name: update.name,
          cached: false,
          announced: false,
          closed: false,
          partial: new Map(),
          lastLines: [],
          statuses: new Map(),
        };
        this.vertexes.set(update.digest, vertex);
      }
      vertex.name = update.name || vertex.name;
      vertex.cached ||= update.cached;
      // A repeated vertex without a start time must not reset one already started.
      if (update.started !== undefined) vertex.started ??= update.started;
      if (update.error) vertex.error = update.error;
      if (update.completed !== undefined) {
        vertex.completed = update.completed;
        vertex.started ??= update.completed;
      }
      if (vertex.started !== undefined) this.announce(vertex);
      if (vertex.completed !== undefined && !vertex.closed) completedNow.push(vertex);
    }
    for (const update of status.statuses) {
      const vertex = this.vertexes.get(update.vertex);
      if (!vertex || vertex.closed) continue;
      const known = vertex.statuses.get(update.id) ?? { current: 0, total: 0, printed: false };
      vertex.statuses.set(update.id, { ...known, current: update.current, total: update.total });
      if (update.completed !== undefined) this.printStatus(vertex, update.id);
    }
    for (const log of status.logs) {
      const vertex = this.vertexes.get(log.vertex);
      if (!vertex) continue;
      this.announce(vertex);
      const text = (vertex.partial.get(log.stream) ?? '') + log.data.toString('utf8');
      const lines = text.split('\n');
      vertex.partial.set(log.stream, lines.pop()!);
      for (const line of lines) this.logLine(vertex, line, log.timestamp);
    }
    for (const vertex of completedNow) this.close(vertex);
  }

  /** Prints what is left of unterminated output (at the end of the build). */
  end(): void {
    for (const vertex of this.vertexes.values()) this.flush(vertex, vertex.completed ?? this.last ?? 0);
  }

  /** The step that started last and is still running. */
  current(): StepView | undefined {
    const running = [...this.vertexes.values()].filter((vertex) => vertex.announced && !vertex.closed);
    const latest = running.sort((a, b) => (b.started ?? 0) - (a.started ?? 0))[0];
    return latest && this.view(latest);
  }

  summary(): BuildSummary {
    const steps = [...this.vertexes.values()].filter((vertex) => DOCKERFILE_STEP.test(vertex.name));
    return {
      steps: steps.length,
      cached: steps.filter((vertex) => vertex.cached).length,
      seconds: this.first !== undefined && this.last !== undefined ? (this.last - this.first) / 1000 : 0,
    };
  }

  /** The step that failed (the first one, when several did), with its last output lines. */
  failure(): StepFailure | undefined {
    const failed = [...this.vertexes.values()].filter((vertex) => vertex.error && !/context canceled$/.test(vertex.error));
    const vertex = failed.sort((a, b) => a.index - b.index)[0];
    if (!vertex) return undefined;
    this.flush(vertex, vertex.completed ?? 0);
    return { name: vertex.name, error: vertex.error!, lastLines: [...vertex.lastLines] };
  }

  private view(vertex: Vertex, log?: string): StepView {
    const state: StepState = !vertex.closed
      ? 'running'
      : vertex.error
        ? /context canceled$/.test(vertex.error)
          ? 'canceled'
          : 'error'
        : vertex.cached
          ? 'cached'
          : 'done';
    const seconds = vertex.started !== undefined && vertex.completed !== undefined ? (vertex.completed - vertex.started) / 1000 : undefined;
    return {
      index: vertex.index,
      name: vertex.name,
      state,
      ...(seconds !== undefined ? { seconds } : {}),
      ...(vertex.error ? { error: vertex.error } : {}),
      ...(log !== undefined ? { log } : {}),
    };
  }

  private announce(vertex: Vertex): void {
    if (vertex.announced) return;
    vertex.announced = true;
    if (vertex.started !== undefined) this.first = Math.min(this.first ?? vertex.started, vertex.started);
    this.sink.line?.(`#${vertex.index} ${vertex.name}`);
    this.sink.step?.(this.view(vertex), 'start');
  }

  private logLine(vertex: Vertex, raw: string, timestamp: number): void {
    // A progress bar redraws its line with carriage returns: its last state is the line.
    const line = raw.split('\r').filter((part) => part !== '').pop() ?? '';
    vertex.lastLines.push(line);
    if (vertex.lastLines.length > KEPT_LINES) vertex.lastLines.shift();
    const since = vertex.started !== undefined ? Math.max(0, (timestamp - vertex.started) / 1000) : 0;
    this.sink.line?.(`#${vertex.index} ${logTime(since)} ${line}`);
    this.sink.step?.(this.view(vertex, line), 'log');
  }

  private flush(vertex: Vertex, timestamp: number): void {
    for (const [stream, rest] of vertex.partial) {
      if (rest !== '') this.logLine(vertex, rest, timestamp);
      vertex.partial.delete(stream);
    }
  }

  private printStatus(vertex: Vertex, id: string): void {
    const status = vertex.statuses.get(id);
    if (!status || status.printed) return;
    status.printed = true;
    this.announce(vertex);
    const size = status.current > 0 ? ` ${byteSize(status.current)}${status.total > 0 ? ` / ${byteSize(status.total)}` : ''}` : '';
    this.sink.line?.(`#${vertex.index} ${id}${size} done`);
  }

  private close(vertex: Vertex): void {
    this.announce(vertex);
    // A step is done when its transfers are, even when the engine reports them afterwards.
    for (const id of vertex.statuses.keys()) this.printStatus(vertex, id);
    this.flush(vertex, vertex.completed!);
    vertex.closed = true;
    this.last = Math.max(this.last ?? vertex.completed!, vertex.completed!);
    const view = this.view(vertex);
    const ending =
      view.state === 'cached'
        ? 'CACHED'
        : view.state === 'canceled'
          ? 'CANCELED'
          : view.state === 'error'
            ? `ERROR: ${vertex.error}`
            : `DONE ${(view.seconds ?? 0).toFixed(1)}s`;
    this.sink.line?.(`#${vertex.index} ${ending}`);
    this.sink.step?.(view, 'end');
  }
}
