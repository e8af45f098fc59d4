/**
 * `tscompose ps`: the project's containers, found by their labels (so it also works with only
 * `-p NAME`, and lists orphans like Compose). Running containers by default; `-a` adds stopped
 * and one-off ones; `--status`/`--filter status=` select by state.
 */
import { CONTAINER_STATES, inspectStates, listContainers, type InspectedState } from '../api/ps.js';
import type { ContainerStatus } from '../apply/engine.js';
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
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, serviceNames);
  let services = serviceNames;
  if (services.length === 0 && project && options.orphans === false) services = Object.keys(project.services);

  const engine = await openEngine(ctx);
  try {
    const containers = await listContainers(engine, name, { all: options.all === true, services, statuses, signal: ctx.signal });

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
    engine.close();
  }
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
