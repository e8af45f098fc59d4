/**
 * `--format` for the stack listings, as the Docker CLI reads it: `table` (the default), `json`
 * (one object per line), or a Go template (`{{.Name}}`; `table {{.Name}}\t{{.Services}}` adds a
 * header row of the column names and aligns the columns).
 */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { goJson } from '../output/go-json.js';
import { HEADER_FUNCTIONS } from '../output/go-template-functions.js';
import { GoTemplate, TemplateError } from '../output/go-template.js';
import { GoMap, toGoValue } from '../output/go-values.js';
import { alignTabs, renderTable } from '../output/table.js';

export interface Column<Row> {
  readonly header: string;
  readonly field: keyof Row & string;
}

export interface PrintOptions {
  readonly format?: string;
  /** `-q`: only the rows' IDs. */
  readonly quiet?: boolean;
}

export function printRows<Row extends object>(ctx: Context, rows: readonly Row[], columns: readonly Column<Row>[], options: PrintOptions): void {
  if (options.quiet) {
    ctx.stdout.write(rows.map((row) => `${String((row as { ID?: unknown }).ID ?? '')}\n`).join(''));
    return;
  }
  const chosen = options.format ?? 'table';
  if (chosen === 'json') {
    ctx.stdout.write(rows.map((row) => `${goJson(row)}\n`).join(''));
    return;
  }
  if (chosen === 'table') {
    const cells = rows.map((row) => columns.map((column) => String((row as Record<string, unknown>)[column.field] ?? '')));
    ctx.stdout.write(renderTable([columns.map((column) => column.header), ...cells]));
    return;
  }
  const table = chosen.startsWith('table');
  const source = (table ? chosen.slice('table'.length) : chosen).replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  try {
    const template = new GoTemplate(source);
    const text = rows.map((row) => `${template.execute(toGoValue(row))}\n`).join('');
    if (!table) return void ctx.stdout.write(text);
    const header = template.executePartially(new GoMap(new Map(columns.map((column) => [column.field, column.header]))), HEADER_FUNCTIONS);
    ctx.stdout.write(alignTabs(`${header}\n${text}`));
  } catch (error) {
    if (error instanceof TemplateError) throw new UsageError(`invalid --format template ${JSON.stringify(chosen)}: ${error.message}`);
    throw error;
  }
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
