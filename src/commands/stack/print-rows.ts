/**
 * `--format` for the stack listings, as the Docker CLI reads it: `table` (the default; `table
 * TEMPLATE` is taken as the default table too), `json` (one object per line), or a template
 * with `{{.Field}}` placeholders.
 */
import type { Context } from '../../context.js';
import { goJson, renderTemplate, type PsEntry } from '../output/ps-rows.js';
import { renderTable } from '../output/table.js';

export interface Column<Row> {
  readonly header: string;
  readonly field: keyof Row & string;
}

export function printRows<Row extends object>(ctx: Context, rows: readonly Row[], columns: readonly Column<Row>[], format: string | undefined): void {
  const chosen = format ?? 'table';
  if (chosen === 'json') {
    ctx.stdout.write(rows.map((row) => `${goJson(row)}\n`).join(''));
    return;
  }
  if (chosen === 'table' || chosen.startsWith('table ')) {
    const cells = rows.map((row) => columns.map((column) => String((row as Record<string, unknown>)[column.field] ?? '')));
    ctx.stdout.write(renderTable([columns.map((column) => column.header), ...cells]));
    return;
  }
  ctx.stdout.write(rows.map((row) => `${renderTemplate(chosen, row as unknown as PsEntry)}\n`).join(''));
}

/** `--filter key=value` entries (repeatable) as the engine's filters. */
export function parseFilters(entries: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const key = separator < 0 ? entry : entry.slice(0, separator);
    const value = separator < 0 ? '' : entry.slice(separator + 1);
    (out[key] ??= []).push(value);
  }
  return out;
}
