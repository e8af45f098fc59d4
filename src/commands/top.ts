/** `tscompose top [SERVICE...]`: the processes of each running container, as the engine's `ps` reports them. */
import type { ContainerTop } from '../apply/engine.js';
import type { Context } from '../context.js';
import { openEngine } from './engine-session.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { projectContainersOf } from '../api/service-containers.js';

export async function topCommand(ctx: Context, services: readonly string[]): Promise<void> {
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, services);
  const engine = await openEngine(ctx);
  try {
    const containers = (await projectContainersOf(ctx, engine, name, services)).filter((container) => container.status === 'running');
    const tops = await Promise.all(containers.map((container) => engine.topContainer(container.id, { signal: ctx.signal })));
    ctx.stdout.write(containers.map((container, index) => `${container.name}\n${topTable(tops[index])}\n`).join(''));
  } finally {
    engine.close();
  }
}

/**
 * Compose's layout: columns at least 5 wide plus 3 spaces; every process cell is padded, also the
 * last (so command lines end in spaces), while the header's last title is not.
 */
export function topTable(top: ContainerTop): string {
  const columns = top.titles.length;
  const widths = top.titles.map((title, column) => {
    const cells = top.processes.map((process) => process[column] ?? '');
    const widest = Math.max(0, ...(column < columns - 1 ? [title, ...cells] : cells).map((cell) => [...cell].length));
    return Math.max(5, widest + 3);
  });
  const pad = (cell: string, column: number): string => cell + ' '.repeat(Math.max(0, widths[column] - [...cell].length));
  const header = top.titles.map((title, column) => (column < columns - 1 ? pad(title, column) : title)).join('');
  const rows = top.processes.map((process) => process.map((cell, column) => pad(cell, column)).join(''));
  return [header, ...rows].map((line) => `${line}\n`).join('');
}
