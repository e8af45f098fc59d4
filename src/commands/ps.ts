/**
 * `tscompose ps`: the project's containers, found by their labels (so it also works with only
 * `-p NAME`, and lists orphans like Compose). Running containers by default; `-a` adds stopped
 * and one-off ones; `--status`/`--filter status=` select by state.
 */
import { CONTAINER_STATES, inspectStates, selectContainers, type InspectedState } from '../api/ps.js';
import type { ContainerStatus, ContainerSummary, Engine } from '../apply/engine.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { openEngine } from './engine-session.js';
import { psJsonLine, psTable, toPsEntry } from './output/ps-rows.js';
import { renderPsTemplate } from './output/ps-template.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';

export interface PsOptions {
  readonly all?: boolean;
  readonly quiet?: boolean;
  /** `--services`: print service names only. */
  readonly services?: boolean;
  /** `--status`, repeatable. */
  readonly status?: readonly string[];
  /** `--filter KEY=VALUE`, repeatable; only `status` is known. */
  readonly filter?: readonly string[];
  /** `table` (default), `json`, or a Go template (`table {{.Name}}\t{{.Status}}`). */
  readonly format?: string;
  /** false for `--no-trunc`. */
  readonly trunc?: boolean;
  /** false for `--orphans=false`: only services of the compose file. */
  readonly orphans?: boolean;
}

export async function psCommand(ctx: Context, serviceNames: readonly string[], options: PsOptions): Promise<void> {
  const statuses = wantedStatuses(options);
  // The engine's list depends on the project's name only: it is asked for as soon as the name is
  // known, and the engine answers while the file is validated and modelled.
  let early: { readonly name: string; readonly engine: Engine; readonly containers: Promise<ContainerSummary[]> } | undefined;
  const askEarly = async (projectName: string): Promise<void> => {
    try {
      const engine = await openEngine(ctx);
      const containers = engine.listContainers(projectName, { signal: ctx.signal });
      // Its error is the command's only when the file is valid: it is awaited below, or dropped.
      containers.catch(() => undefined);
      early = { name: projectName, engine, containers };
      await requestOnItsWay();
    } catch {
      // The engine cannot be opened: the command finds out again below, after the file's own errors.
    }
  };
  let engine: Engine | undefined;
  try {
    const { name, project } = await loadProjectOrName(ctx, askEarly);
    rejectUnknownServiceNames(project, serviceNames);
    let services = serviceNames;
    if (services.length === 0 && project && options.orphans === false) services = Object.keys(project.services);

    engine = early?.engine ?? (await openEngine(ctx));
    const listed = early?.name === name ? await early.containers : await engine.listContainers(name, { signal: ctx.signal });
    const containers = selectContainers(listed, { all: options.all === true, services, statuses });

    if (options.quiet) {
      ctx.stdout.write(containers.map((container) => `${container.id}\n`).join(''));
      return;
    }
    if (options.services) {
      const names = [...new Set(containers.map((container) => container.labels[LABEL.service] ?? ''))];
      ctx.stdout.write(names.map((service) => `${service}\n`).join(''));
      return;
    }
    const format = options.format ?? 'table';
    // Health and exit codes need an inspect per container: only the formats that show them pay for it.
    const inspected = format === 'table' ? new Map<string, InspectedState>() : await inspectStates(engine, containers, { signal: ctx.signal, ...(ctx.options.parallel === undefined ? {} : { parallel: ctx.options.parallel }) });
    const now = ctx.now();
    const entries = containers.map((container) =>
      toPsEntry(container, inspected.get(container.id) ?? { health: '', exitCode: 0 }, { now, noTrunc: options.trunc === false }),
    );
    if (format === 'table') ctx.stdout.write(psTable(entries));
    else if (format === 'json') ctx.stdout.write(entries.map((entry) => `${psJsonLine(entry)}\n`).join(''));
    else ctx.stdout.write(renderPsTemplate(format, entries.map((entry, index) => ({ entry, labels: containers[index].labels }))));
  } finally {
    (engine ?? early?.engine)?.close();
  }
}

/** Two turns of the event loop: a new connection to the engine opens and the request is written. */
function requestOnItsWay(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** `--status` and `--filter status=…`, checked. */
function wantedStatuses(options: PsOptions): string[] {
  const statuses = [...(options.status ?? [])];
  for (const filter of options.filter ?? []) {
    const equals = filter.indexOf('=');
    const key = equals < 0 ? filter : filter.slice(0, equals);
    if (key !== 'status') throw new UsageError(`unknown filter ${key}: ps filters on status only (--filter status=running)`);
    statuses.push(filter.slice(equals + 1));
  }
  const unknown = statuses.filter((status) => !CONTAINER_STATES.includes(status as ContainerStatus));
  if (unknown.length > 0) {
    throw new UsageError(`invalid status ${unknown.map((status) => JSON.stringify(status)).join(', ')}: use ${CONTAINER_STATES.join(', ')}`);
  }
  return statuses;
}
