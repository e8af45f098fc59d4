/**
 * `--format TEMPLATE` as the Docker CLI runs it for ps, stats and the like: `\t` and `\n` in the
 * format are a tab and a newline, `table ...` adds a header row (the template run on the column
 * names) and aligns the columns, anything else prints one run per row. A template that cannot be
 * parsed or run is a usage error, and nothing is printed.
 */
import { UsageError } from '../../errors.js';
import { HEADER_FUNCTIONS } from './go-template-functions.js';
import { GoTemplate, TemplateError } from './go-template.js';
import type { GoValue } from './go-values.js';
import { alignTabs } from './table.js';

function invalid(format: string, error: TemplateError): UsageError {
  return new UsageError(`invalid --format template ${JSON.stringify(format)}: ${error.message}`);
}

function rethrow(format: string, error: unknown): never {
  if (error instanceof TemplateError) throw invalid(format, error);
  throw error;
}

/** The text of `format` run on each row; `headers` is what a `table` header row runs on. */
export function renderFormatTemplate(format: string, rows: readonly GoValue[], headers: GoValue): string {
  const table = format.startsWith('table');
  const source = (table ? format.slice('table'.length) : format).replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  let template: GoTemplate;
  try {
    template = new GoTemplate(source);
  } catch (error) {
    rethrow(format, error);
  }
  let text = '';
  for (const row of rows) {
    try {
      text += `${template.execute(row)}\n`;
    } catch (error) {
      rethrow(format, error);
    }
  }
  if (!table) return text;
  // The Docker CLI ignores an error in the header and keeps what was printed before it.
  const header = template.executePartially(headers, HEADER_FUNCTIONS);
  return alignTabs(`${header}\n${text}`);
}
