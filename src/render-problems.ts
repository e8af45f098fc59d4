/**
 * Turns configuration problems into the text the user reads:
 *   compose.yaml:5:5  services.web.imagee  Additional property imagee is not allowed
 *       4 |   web:
 *     > 5 |     imagee: nginx
 *         |     ^
 *     did you mean `image`?
 */
import type { Problem } from './errors.js';

export interface Paint {
  readonly location: (text: string) => string;
  readonly path: (text: string) => string;
  readonly message: (text: string) => string;
  readonly hint: (text: string) => string;
  readonly dim: (text: string) => string;
}

const plain: Paint = { location: String, path: String, message: String, hint: String, dim: String };

/** Renders every problem, sorted by file and position, each with a short code frame. */
export function renderProblems(
  problems: readonly Problem[],
  sources: ReadonlyMap<string, string>,
  paint: Paint = plain,
): string {
  const sorted = [...problems].sort(compareProblems);
  const blocks = sorted.map((problem) => renderProblem(problem, sources, paint));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `${blocks.join('\n\n')}\n\n${count} found; nothing was changed.\n`;
}

function compareProblems(a: Problem, b: Problem): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0);
}

function renderProblem(problem: Problem, sources: ReadonlyMap<string, string>, paint: Paint): string {
  const where = problem.location ? `${problem.location.file}:${problem.location.line}:${problem.location.col}` : '';
  const head = [where && paint.location(where), problem.path && paint.path(problem.path), paint.message(problem.message)]
    .filter(Boolean)
    .join('  ');
  const lines = [head];
  const text = problem.location ? sources.get(problem.location.file) : undefined;
  if (problem.location && text !== undefined) lines.push(...codeFrame(text, problem.location.line, problem.location.col, paint));
  if (problem.hint) lines.push(`    ${paint.hint(problem.hint)}`);
  return lines.join('\n');
}

/** Two lines of context before the offending line, and a caret under the column. */
function codeFrame(text: string, line: number, col: number, paint: Paint): string[] {
  const all = text.split(/\r?\n/);
  if (line < 1 || line > all.length) return [];
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  const out: string[] = [];
  for (let n = first; n <= line; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(paint.dim(`  ${marker} ${String(n).padStart(width)} | `) + truncate(all[n - 1]));
  }
  out.push(paint.dim(`    ${' '.repeat(width)} | `) + ' '.repeat(Math.max(0, Math.min(col - 1, 160))) + '^');
  return out;
}

function truncate(line: string): string {
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
