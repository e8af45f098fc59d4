/**
 * `tscompose logs`: the output of the project's containers (found by labels, so `-p NAME` alone
 * is enough), prefixed and coloured per service. Without `-f` the containers' logs are merged in
 * the order they were written (by the engine's timestamps). With `-f` it keeps following: new
 * containers and restarted ones are picked up from the engine's events, `<name> exited with code
 * N` is printed when one stops, and it returns once none is left running, as Compose does; Ctrl-C
 * ends it with exit code 130.
 */
import type { LogOptions } from '../apply/engine.js';
import type { Context } from '../context.js';
import { CancelledError, UsageError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { displayName } from '../api/container-display-name.js';
import { openEngine } from './engine-session.js';
import { followLogs } from '../api/follow-logs.js';
import { toEngineTime } from '../api/log-time.js';
import { LogPrinter } from './output/log-printer.js';
import { mergeByTimestamp } from '../api/merge-by-timestamp.js';
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
    const register = (names?: readonly string[]): void => {
      for (const container of containers) {
        const name = displayName(container.name, container.labels);
        if (names === undefined || names.includes(name)) printer.register(name, container.labels[LABEL.service] ?? '');
      }
    };

    if (options.follow) {
      register();
      await followLogs(engine, projectName, containers, { printer, query, timestamps: options.timestamps === true, wanted, since: startedAt }, ctx.signal);
    } else {
      const sources = containers.map((container) => ({
        name: displayName(container.name, container.labels),
        // Always with timestamps: they order the merge (the printer shows them only with -t).
        lines: engine.logs(container.id, { ...query, timestamps: true, signal: ctx.signal }),
      }));
      // Prefixes are padded to the containers that print something, as Compose aligns them.
      for await (const { name, line } of mergeByTimestamp(sources, { onFirstLines: register })) printer.line(name, line);
    }
    if (ctx.signal.aborted) throw new CancelledError();
  } finally {
    engine.close();
  }
}

function parseTail(value: string | undefined): number | 'all' {
  if (value === undefined || value === 'all') return 'all';
  if (!/^\d+$/.test(value)) throw new UsageError(`invalid --tail value ${JSON.stringify(value)}: use a number of lines or "all"`);
  return Number(value);
}
