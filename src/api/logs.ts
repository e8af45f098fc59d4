/**
 * A project's container output as one stream of entries, for callers that are not a terminal: the
 * lines written so far, merged in the order they were written (by the engine's timestamps), or,
 * following, every line as it comes, containers that start later and restart included, until no
 * followed container is left running or the signal aborts. The follower behind it is attached
 * `up`'s and `logs -f`'s (follow-logs.ts).
 */
import { anySignal } from '../apply/abort-signals.js';
import { AsyncQueue } from '../apply/async-queue.js';
import type { ContainerSummary, Engine, LogLine, LogOptions } from '../apply/engine.js';
import { LABEL } from '../model/labels.js';
import { displayName } from './container-display-name.js';
import { followLogs, type OutputSink } from './follow-logs.js';
import { mergeByTimestamp } from './merge-by-timestamp.js';

/** One line a container wrote. */
export interface LogEntry {
  /** As Compose prints it: `web-1` (or a custom `container_name`). */
  readonly container: string;
  readonly service: string;
  readonly stream: 'stdout' | 'stderr';
  /** Without the line break. */
  readonly text: string;
  /** RFC 3339 with nanoseconds, when the engine gave one. */
  readonly timestamp?: string;
}

/** A followed container stopped. */
export interface ExitEntry {
  readonly container: string;
  readonly service: string;
  readonly exitCode: number;
}

export interface LogQuery extends Pick<LogOptions, 'tail' | 'since' | 'until'> {
  /** Keep following until no container of the selection runs (or the signal aborts). */
  readonly follow?: boolean;
  /** Called when a followed container stops. */
  readonly onExit?: (exit: ExitEntry) => void;
  readonly signal?: AbortSignal;
}

/** The containers of `services` (every service when empty), one-off ones left out. */
export function logSelection(services: readonly string[]): (labels: Readonly<Record<string, string>>) => boolean {
  return (labels) => labels[LABEL.oneoff] !== 'True' && (services.length === 0 || services.includes(labels[LABEL.service] ?? ''));
}

export async function* logEntries(engine: Engine, projectName: string, services: readonly string[], query: LogQuery = {}): AsyncIterable<LogEntry> {
  const wanted = logSelection(services);
  const since = Math.floor(Date.now() / 1000);
  const containers = (await engine.listContainers(projectName, { signal: query.signal }))
    .filter((container) => wanted(container.labels))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const engineQuery: LogOptions = {
    tail: query.tail ?? 'all',
    ...(query.since === undefined ? {} : { since: query.since }),
    ...(query.until === undefined ? {} : { until: query.until }),
  };
  const serviceOf = new Map(containers.map((container) => [displayName(container.name, container.labels), container.labels[LABEL.service] ?? '']));
  if (!query.follow) {
    const sources = containers.map((container) => ({
      name: displayName(container.name, container.labels),
      lines: engine.logs(container.id, { ...engineQuery, timestamps: true, ...(query.signal ? { signal: query.signal } : {}) }),
    }));
    for await (const { name, line } of mergeByTimestamp(sources)) yield entry(name, serviceOf.get(name) ?? '', line);
    return;
  }
  yield* followed(engine, projectName, containers, { wanted, since, engineQuery, serviceOf, query });
}

function entry(container: string, service: string, line: LogLine): LogEntry {
  return { container, service, stream: line.stream, text: line.text, ...(line.timestamp === undefined ? {} : { timestamp: line.timestamp }) };
}

/** The follower's output, turned from pushes into a pull; breaking out of the loop stops following. */
function followed(
  engine: Engine,
  projectName: string,
  containers: readonly ContainerSummary[],
  settings: {
    readonly wanted: (labels: Readonly<Record<string, string>>) => boolean;
    readonly since: number;
    readonly engineQuery: LogOptions;
    readonly serviceOf: Map<string, string>;
    readonly query: LogQuery;
  },
): AsyncIterable<LogEntry> {
  const stop = new AbortController();
  const signal = settings.query.signal ? anySignal([settings.query.signal, stop.signal]) : stop.signal;
  const queue = new AsyncQueue<LogEntry>({ cancel: () => stop.abort() });
  const sink: OutputSink = {
    register: (name, service) => void settings.serviceOf.set(name, service),
    line: (name, line) => queue.push(entry(name, settings.serviceOf.get(name) ?? '', line)),
    end: () => undefined,
    exited: () => undefined,
  };
  followLogs(
    engine,
    projectName,
    containers,
    {
      printer: sink,
      query: settings.engineQuery,
      timestamps: true,
      wanted: settings.wanted,
      since: settings.since,
      onExit: (exit) => settings.query.onExit?.({ container: exit.name, service: exit.service, exitCode: exit.exitCode }),
    },
    signal,
  ).then(
    () => queue.end(),
    (error: unknown) => queue.fail(error),
  );
  return queue;
}
