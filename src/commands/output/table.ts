/**
 * Aligned text the way the Docker CLI draws it: Go's text/tabwriter with a minimum cell width of
 * 10 and 3 spaces of padding. Cells end with a tab; a column is as wide as its widest cell over
 * the consecutive lines that have it (a line without that cell ends the block), and a line's last
 * cell is never padded. `docker compose ps` and `tscompose ps` line up the same, templates too.
 */
export interface TableLayout {
  /** Minimum width of a padded cell, padding included. */
  readonly minWidth?: number;
  /** Spaces after the widest cell of a column. */
  readonly padding?: number;
}

function width(text: string): number {
  return [...text].length;
}

/** Aligns tab-separated text as Go's tabwriter.NewWriter(out, minWidth, 1, padding, ' ', 0) does. */
export function alignTabs(text: string, layout: TableLayout = {}): string {
  const minWidth = layout.minWidth ?? 10;
  const padding = layout.padding ?? 3;
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  let out = '';
  const writeLines = (from: number, to: number): void => {
    for (let index = from; index < to; index++) {
      lines[index].forEach((cell, column) => {
        out += cell;
        if (column < widths.length) out += ' '.repeat(Math.max(0, widths[column] - width(cell)));
      });
      if (index < lines.length - 1 || endsWithNewline) out += '\n';
    }
  };
  // Go's recursive column-block formatting: a block is the run of lines that have the column.
  const format = (first: number, last: number): void => {
    const column = widths.length;
    let start = first;
    for (let line = first; line < last; line++) {
      if (column >= lines[line].length - 1) continue;
      writeLines(start, line);
      start = line;
      let columnWidth = minWidth;
      for (; line < last && column < lines[line].length - 1; line++) {
        columnWidth = Math.max(columnWidth, width(lines[line][column]) + padding);
      }
      widths.push(columnWidth);
      format(start, line);
      widths.pop();
      start = line;
    }
    writeLines(start, last);
  };
  format(0, lines.length);
  return out;
}

/** Renders rows (the header first) as lines, each ending with a newline. */
export function renderTable(rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
  return alignTabs(rows.map((row) => `${row.join('\t')}\n`).join(''), layout);
}
