/**
 * Aligned text tables the way the Docker CLI draws them (Go's tabwriter with a minimum cell width
 * of 10 and 3 spaces of padding): every column but the last is padded, so `docker compose ps`
 * and `tscompose ps` line up the same.
 */
export interface TableLayout {
  /** Minimum width of a padded cell, padding included. */
  readonly minWidth?: number;
  /** Spaces after the widest cell of a column. */
  readonly padding?: number;
}

/** Renders rows (the header first) as lines, each ending with a newline. */
export function renderTable(rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
  const minWidth = layout.minWidth ?? 10;
  const padding = layout.padding ?? 3;
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths: number[] = [];
  for (let column = 0; column < columns - 1; column++) {
    const widest = Math.max(0, ...rows.map((row) => width(row[column] ?? '')));
    widths.push(Math.max(minWidth, widest + padding));
  }
  return rows
    .map((row) => row.map((cell, column) => (column < row.length - 1 ? pad(cell, widths[column]) : cell)).join('') + '\n')
    .join('');
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}
