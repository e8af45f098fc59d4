/**
 * `tscompose ls`: the Compose projects on the engine, tscompose's and Docker Compose's alike (they
 * carry the same labels): running ones, or all with `-a`; each with its containers' states
 * counted (`running(2)`, `exited(1), running(2)`) and its compose files.
 */
import type { ContainerSummary } from '../apply/engine.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { openEngine } from './engine-session.js';
import { goJson } from './output/go-json.js';
import { renderTable } from './output/table.js';

export interface LsOptions {
  readonly all: boolean;
  readonly quiet: boolean;
  readonly format: string;
  readonly filter: readonly string[];
}

export interface ProjectListing {
  readonly Name: string;
  readonly Status: string;
  readonly ConfigFiles: string;
}

export async function lsCommand(ctx: Context, options: LsOptions): Promise<void> {
  if (options.format !== 'table' && options.format !== 'json') throw new UsageError(`invalid --format "${options.format}": use table or json`);
  const nameFilters = options.filter.map(parseFilter);
  const engine = await openEngine(ctx);
  try {
    const containers = await engine.listComposeContainers({ all: options.all, signal: ctx.signal });
    const projects = listProjects(containers).filter((project) => nameFilters.every((part) => project.Name.includes(part)));
    if (options.quiet) ctx.stdout.write(projects.map((project) => `${project.Name}\n`).join(''));
    else if (options.format === 'json') ctx.stdout.write(`${goJson(projects)}\n`);
    else {
      const rows = [['NAME', 'STATUS', 'CONFIG FILES'], ...projects.map((project) => [project.Name, project.Status, project.ConfigFiles])];
      ctx.stdout.write(renderTable(rows, { minWidth: 20 }));
    }
  } finally {
    engine.close();
  }
}

/** `--filter name=x` (projects whose name holds x); Compose knows no other filter. */
function parseFilter(filter: string): string {
  const equals = filter.indexOf('=');
  const key = equals < 0 ? filter : filter.slice(0, equals);
  if (key !== 'name' || equals < 0) throw new UsageError(`invalid filter '${key}': ls filters on the project name only (--filter name=NAME)`);
  return filter.slice(equals + 1);
}

/** Containers grouped by their project label, sorted by name. */
export function listProjects(containers: readonly ContainerSummary[]): ProjectListing[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const container of containers) {
    const project = container.labels[LABEL.project];
    if (project === undefined || project === '') continue;
    byProject.set(project, [...(byProject.get(project) ?? []), container]);
  }
  return [...byProject.keys()].sort().map((name) => {
    const list = byProject.get(name) ?? [];
    const counts = new Map<string, number>();
    for (const container of list) counts.set(container.status, (counts.get(container.status) ?? 0) + 1);
    const files = new Set<string>();
    for (const container of list) {
      for (const file of (container.labels[LABEL.configFiles] ?? '').split(',')) if (file !== '') files.add(file);
    }
    return {
      Name: name,
      Status: [...counts.keys()].sort().map((status) => `${status}(${counts.get(status)})`).join(', '),
      ConfigFiles: [...files].join(','),
    };
  });
}
