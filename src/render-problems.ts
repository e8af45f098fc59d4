/**
 * Turns configuration problems into the text the user reads:
 *   compose.yaml:5:5  services.web.imagee  Additional property imagee is not allowed
 *       4 |   web:
 *     > 5 |     imagee: nginx
 *         |     ^^^^^^
 *     did you mean `image`?
 */
import type { Problem } from './errors.js';
import { formatLocation } from './load/located.js';

export interface Paint {
  readonly location: (text: string) => string;
  readonly path: (text: string) => string;
  readonly message: (text: string) => string;
  readonly hint: (text: string) => string;
  readonly dim: (text: string) => string;
}

export interface RenderOptions {
  /** File names under this directory are printed relative to it, as the user typed them. */
  readonly cwd?: string;
}

const plain: Paint = { location: String, path: String, message: String, hint: String, dim: String };

/** The widest line a code frame shows before cutting it. */
const MAX_LINE = 160;

/**
 * Renders every problem with a short code frame. Files keep the order in which their problems
 * come (validate() sorts by the order the compose files were given); within a file, by position.
 */
export function renderProblems(
  problems: readonly Problem[],
  sources: ReadonlyMap<string, string>,
  paint: Paint = plain,
  options: RenderOptions = {},
): string {
  const blocks = orderProblems(problems).map((problem) => renderProblem(problem, sources, paint, options));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `${blocks.join('\n\n')}\n\n${count} found; nothing was changed.\n`;
}

/** Groups by file in order of first appearance, sorts by line and column inside a file; problems without a position go last. */
export function orderProblems(problems: readonly Problem[]): Problem[] {
  const fileRank = new Map<string, number>();
  for (const problem of problems) {
    const file = problem.location?.file;
    if (file !== undefined && !fileRank.has(file)) fileRank.set(file, fileRank.size);
  }
  const rank = (problem: Problem): number =>
    problem.location ? (fileRank.get(problem.location.file) ?? 0) : Number.MAX_SAFE_INTEGER;
  return [...problems].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.col ?? 0) - (b.location?.col ?? 0),
  );
}

function renderProblem(problem: Problem, sources: ReadonlyMap<string, string>, paint: Paint, options: RenderOptions): string {
  const { location } = problem;
  const where = location ? formatLocation(location, options.cwd) : '';
  const head = [where && paint.location(where), problem.path && paint.path(problem.path), paint.message(problem.message)]
    .filter(Boolean)
    .join('  ');
  const lines = [head];
  const text = location ? sources.get(location.file) : undefined;
  if (location && text !== undefined) lines.push(...codeFrame(text, location.line, location.col, paint));
  if (problem.hint) lines.push(`    ${paint.hint(problem.hint)}`);
  return lines.join('\n');
}

/** Two lines of context before the offending line, and a marker under the token at the column. */
export function codeFrame(text: string, line: number, col: number, paint: Paint = plain): string[] {
  const all = text.split(/\r?\n/);
  if (line < 1 || line > all.length) return [];
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  const out: string[] = [];
  for (let n = first; n <= line; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(paint.dim(`  ${marker} ${String(n).padStart(width)} | `) + truncate(all[n - 1]));
  }
  const source = all[line - 1];
  const start = Math.max(0, Math.min(col - 1, MAX_LINE - 4, source.length));
  // Keep tabs in the padding so the marker lines up with what the terminal shows above it.
  const padding = source.slice(0, start).replace(/[^\t]/g, ' ');
  const length = Math.max(1, Math.min(tokenLength(source, start), MAX_LINE - start));
  out.push(paint.dim(`    ${' '.repeat(width)} | `) + padding + paint.message('^'.repeat(length)));
  return out;
}

/**
 * How long the YAML token starting at `start` is: a quoted scalar up to its closing quote, a
 * plain key or scalar up to `: `, `,`, `]`, `}`, ` #` or the end of the line. Flow collections
 * and block indicators get a single marker.
 */
function tokenLength(line: string, start: number): number {
  const rest = line.slice(start);
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    for (let i = 1; i < rest.length; i++) {
      if (quote === '"' && rest[i] === '\\') i++;
      else if (rest[i] === quote) {
        if (quote === "'" && rest[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return rest.length;
  }
  if (/^[[{>|&*!-]/.test(rest) && !/^-[^\s]/.test(rest)) return 1;
  const end = rest.search(/:(\s|$)|,|\]|\}|\s#/);
  return (end < 0 ? rest : rest.slice(0, end)).trimEnd().length;
}

function truncate(line: string): string {
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 3)}...` : line;
}
