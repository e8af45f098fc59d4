/**
 * `tscompose logs`: the output of the project's containers (found by labels, so `-p NAME` alone
 * is enough), prefixed and coloured per service. Without `-f` the containers' logs are merged in
 * the order they were written (by the engine's timestamps). With `-f` it keeps following: new
 * containers and restarted ones are picked up from the engine's events, `<name> exited with code
 * N` is printed when one stops, and it returns once none is left running, as Compose does; Ctrl-C
 * ends it with exit code 130.
 */
import type { ContainerSummary, Engine, LogOptions } from '../apply/engine.js';
import type { Context } from '../context.js';
import { CancelledError, EngineError, UsageError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { openEngine } from './engine-session.js';
import { rfc3339ToUnixText, toEngineTime } from './log-time.js';
import { LogPrinter } from './output/log-printer.js';
import { mergeByTimestamp } from './output/merge-by-timestamp.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';

export interface LogsOptions {
  readonly follow?: boolean;
  /** `-n/--tail`: a number of lines from the end, or `all`. */
  readonly tail?: string;
  readonly since?: string;
  readonly until?: string;
  readonly timestamps?: boolean;
  /** false for `--no-color`. */
  readonly color?: boolean;
  /** false for `--no-log-prefix`. */
  readonly logPrefix?: boolean;
  /** `--index`: the replica number of the one service named. */
  readonly index?: number;
}

export async function logsCommand(ctx: Context, serviceNames: readonly string[], options: LogsOptions): Promise<void> {
  const now = ctx.now();
  const query: LogOptions = {
    tail: parseTail(options.tail),
    ...(options.since !== undefined ? { since: toEngineTime('--since', options.since, now) } : {}),
    ...(options.until !== undefined ? { until: toEngineTime('--until', options.until, now) } : {}),
  };
  if (options.index !== undefined && serviceNames.length !== 1) throw new UsageError('--index needs exactly one service name');

  const { name: projectName, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, serviceNames);
  // With a compose file and no services named, Compose shows the file's services only.
  const services = serviceNames.length > 0 ? serviceNames : project ? Object.keys(project.services) : [];
  const wanted = (labels: Readonly<Record<string, string>>): boolean =>
    labels[LABEL.oneoff] !== 'True' && (services.length === 0 || services.includes(labels[LABEL.service] ?? ''));

  const printer = new LogPrinter({
    out: ctx.stdout,
    color: ctx.color && options.color !== false,
    prefix: options.logPrefix !== false,
    timestamps: options.timestamps === true,
  });
  const engine = await openEngine(ctx);
  try {
    const startedAt = Math.floor(ctx.now() / 1000);
    let containers = (await engine.listContainers(projectName, { signal: ctx.signal }))
      .filter((container) => wanted(container.labels))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (options.index !== undefined) {
      containers = containers.filter((container) => container.labels[LABEL.containerNumber] === String(options.index));
      if (containers.length === 0) throw new UsageError(`service "${serviceNames[0]}" has no container #${options.index}`);
    }
    for (const container of containers) printer.register(displayName(container.name, container.labels), container.labels[LABEL.service] ?? '');

    if (options.follow) {
      await follow(engine, projectName, containers, { printer, query, timestamps: options.timestamps === true, wanted, since: startedAt }, ctx.signal);
    } else {
      const sources = containers.map((container) => ({
        name: displayName(container.name, container.labels),
        // Always with timestamps: they order the merge (the printer shows them only with -t).
        lines: engine.logs(container.id, { ...query, timestamps: true, signal: ctx.signal }),
      }));
      for await (const { name, line } of mergeByTimestamp(sources)) printer.line(name, line);
    }
    if (ctx.signal.aborted) throw new CancelledError();
  } finally {
    engine.close();
  }
}

/** Compose's prefix name: the container name without `<project>-`, unless it is a custom `container_name`. */
export function displayName(name: string, labels: Readonly<Record<string, string>>): string {
  const project = labels[LABEL.project] ?? '';
  const defaultName = `${project}-${labels[LABEL.service] ?? ''}-${labels[LABEL.containerNumber] ?? ''}`;
  return name === defaultName ? name.slice(project.length + 1) : name;
}

function parseTail(value: string | undefined): number | 'all' {
  if (value === undefined || value === 'all') return 'all';
  if (!/^\d+$/.test(value)) throw new UsageError(`invalid --tail value ${JSON.stringify(value)}: use a number of lines or "all"`);
  return Number(value);
}

interface FollowSettings {
  readonly printer: LogPrinter;
  readonly query: LogOptions;
  readonly timestamps: boolean;
  readonly wanted: (labels: Readonly<Record<string, string>>) => boolean;
  /** Unix seconds, taken before the containers were listed: start events from then on are seen. */
  readonly since: number;
}

/**
 * Follows the running containers (and prints the others' logs once), then every container of the
 * project that starts meanwhile, until none is left running or the signal aborts.
 */
async function follow(engine: Engine, projectName: string, initial: readonly ContainerSummary[], settings: FollowSettings, signal: AbortSignal): Promise<void> {
  const { printer, query } = settings;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });

  /** Containers followed now or waiting for a restart; the command ends when it is empty. */
  const alive = new Set<string>();
  const streaming = new Set<string>();
  /**
   * A container that ran before (a restart, or `start` of a stopped one) is read from where its
   * last run stopped: FinishedAt keeps that time while it runs again. (StartedAt would lose lines:
   * the engine stamps the first output before it records the start.) A new one is read whole.
   */
  const resumeFrom = (finishedAt: string): LogOptions => {
    const since = finishedAt.startsWith('0001-') ? undefined : rfc3339ToUnixText(finishedAt);
    return since === undefined ? query : { since };
  };
  const tasks: Promise<void>[] = [];
  let failure: unknown;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  stop.signal.addEventListener('abort', () => finish(), { once: true });
  if (signal.aborted) stop.abort();
  const settle = (): void => {
    if (alive.size === 0) finish();
  };
  const fail = (error: unknown): void => {
    if (stop.signal.aborted) return;
    failure ??= error;
    finish();
  };

  const stream = (id: string, name: string, options: LogOptions): void => {
    alive.add(id);
    streaming.add(id);
    const task = (async () => {
      await printer.pipe(name, engine.logs(id, { ...options, follow: true, timestamps: settings.timestamps, signal: stop.signal }));
      streaming.delete(id);
      if (stop.signal.aborted) return;
      const details = await engine.inspectContainer(id, { signal: stop.signal }).catch((error: unknown) => {
        if (error instanceof EngineError && error.kind === 'not-found') return undefined;
        throw error;
      });
      if (details === undefined || query.until !== undefined) {
        // Removed, or the --until window is over.
        alive.delete(id);
      } else if (details.state.status === 'running') {
        // Restarted before this noticed: carry on from where the last run stopped.
        if (!streaming.has(id)) stream(id, name, resumeFrom(details.state.finishedAt));
      } else {
        printer.exited(name, details.state.exitCode);
        // A restart policy brings it back: its start event resumes it.
        if (!details.state.restarting && details.state.status !== 'restarting') alive.delete(id);
      }
      settle();
    })().catch(fail);
    tasks.push(task);
  };

  const watchStarts = (async () => {
    for await (const event of engine.events(projectName, { since: settings.since, signal: stop.signal })) {
      if (event.type !== 'container' || event.action !== 'start' || streaming.has(event.id)) continue;
      if (!settings.wanted(event.attributes)) continue;
      const details = await engine.inspectContainer(event.id, { signal: stop.signal }).catch(() => undefined);
      if (!details || details.state.status !== 'running' || streaming.has(event.id)) continue;
      const name = displayName(details.name, details.labels);
      printer.register(name, details.labels[LABEL.service] ?? '');
      stream(event.id, name, resumeFrom(details.state.finishedAt));
    }
  })().catch(fail);

  const running = initial.filter((container) => container.status === 'running' || container.status === 'restarting' || container.status === 'paused');
  const stopped = initial.filter((container) => !running.includes(container));
  for (const container of running) stream(container.id, displayName(container.name, container.labels), query);
  // Stopped containers: their logs once, no exit line (Compose prints none for them either).
  await Promise.all(
    stopped.map((container) => printer.pipe(displayName(container.name, container.labels), engine.logs(container.id, { ...query, timestamps: settings.timestamps, signal: stop.signal }))),
  ).catch(fail);
  settle();

  await finished;
  stop.abort();
  signal.removeEventListener('abort', onAbort);
  await Promise.allSettled([...tasks, watchStarts]);
  if (failure !== undefined) throw failure;
}
