/**
 * What tscompose reads in a Dockerfile itself (the builder parses it; these are the two things
 * that must be known before a build is sent):
 *
 * - which BuildKit-only features it uses (`# syntax=`, `RUN --mount`, heredocs, `COPY --link`,
 *   ...), so a build that would go to the classic builder fails with that reason instead of the
 *   builder's own error halfway through;
 * - extra named build contexts, added as stages before the first `FROM` (`FROM <image> AS name`),
 *   so `FROM name` and `COPY --from=name` find them on any builder; numbered `--from=N`
 *   references are shifted past the added stages.
 */

export interface LogicalLine {
  /** 1-based line where the instruction starts. */
  readonly line: number;
  /** Physical lines [start, end) it spans (continuations joined). */
  readonly start: number;
  readonly end: number;
  /** The instruction keyword, upper case ('' for a comment). */
  readonly keyword: string;
  /** The text after the keyword, continuations joined with a space. */
  readonly rest: string;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

/** The parser directives at the top (`# syntax=`, `# escape=`), keys in lower case. */
export function parserDirectives(text: string): Record<string, { value: string; line: number }> {
  const directives: Record<string, { value: string; line: number }> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = DIRECTIVE.exec(lines[i].trim());
    if (!match) break;
    directives[match[1].toLowerCase()] = { value: match[2], line: i + 1 };
  }
  return directives;
}

/** Instructions with their continuations joined; comments and blank lines skipped (heredoc bodies are kept as lines of their own). */
export function logicalLines(text: string): LogicalLine[] {
  const escape = parserDirectives(text).escape?.value === '`' ? '`' : '\\';
  const lines = text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let joined = '';
    for (;;) {
      const current = lines[i];
      const trimmed = current.trimEnd();
      i++;
      if (trimmed.endsWith(escape) && i < lines.length) {
        joined += `${trimmed.slice(0, -1)} `;
        // Comment lines inside a continued instruction are dropped by the parser.
        while (i < lines.length && lines[i].trim().startsWith('#')) i++;
        continue;
      }
      joined += trimmed;
      break;
    }
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined);
    out.push({ line: start + 1, start, end: i, keyword: (match?.[1] ?? '').toUpperCase(), rest: match?.[2] ?? '' });
  }
  return out;
}

/** The `--flag[=value]` options right after an instruction keyword. */
function instructionFlags(rest: string): string[] {
  const flags: string[] = [];
  for (const token of rest.split(/\s+/)) {
    if (!token.startsWith('--')) break;
    flags.push(token);
  }
  return flags;
}

/** BuildKit-only features of a Dockerfile, each as `what (line N)`; empty when the classic builder can build it. */
export function buildkitOnlyFeatures(text: string): string[] {
  const found: string[] = [];
  const syntax = parserDirectives(text).syntax;
  if (syntax) found.push(`the "# syntax=${syntax.value}" directive (line ${syntax.line})`);
  const flagged: Record<string, readonly string[]> = {
    RUN: ['--mount', '--network', '--security'],
    COPY: ['--link', '--chmod', '--parents', '--exclude'],
    ADD: ['--link', '--chmod', '--checksum', '--keep-git-dir', '--exclude'],
  };
  for (const instruction of logicalLines(text)) {
    const flags = instructionFlags(instruction.rest);
    for (const flag of flagged[instruction.keyword] ?? []) {
      if (flags.some((token) => token === flag || token.startsWith(`${flag}=`))) found.push(`${instruction.keyword} ${flag} (line ${instruction.line})`);
    }
    if (['RUN', 'COPY', 'ADD'].includes(instruction.keyword) && /<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1/.test(instruction.rest.replace(/^(--\S+\s+)*/, ''))) {
      found.push(`a heredoc in ${instruction.keyword} (line ${instruction.line})`);
    }
  }
  return found;
}

/** Stage names the Dockerfile defines (`FROM x AS name`), lower case. */
export function stageNames(text: string): string[] {
  return logicalLines(text)
    .filter((instruction) => instruction.keyword === 'FROM')
    .map((instruction) => /\s+AS\s+(\S+)\s*$/i.exec(instruction.rest)?.[1]?.toLowerCase())
    .filter((name): name is string => name !== undefined);
}

/**
 * The Dockerfile with a stage `FROM <image> AS <name>` per extra context, before the first FROM
 * (after the parser directives and global ARGs, which keep their meaning), and numbered stage
 * references (`COPY --from=1`, `RUN --mount=...,from=1`) shifted by the number of stages added.
 */
export function withContextStages(text: string, contexts: Readonly<Record<string, string>>): string {
  const names = Object.keys(contexts);
  if (names.length === 0) return text;
  const instructions = logicalLines(text);
  const firstFrom = instructions.find((instruction) => instruction.keyword === 'FROM');
  const lines = text.split(/\r?\n/);
  const shift = names.length;
  for (const instruction of instructions) {
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'RUN' && instruction.keyword !== 'ADD') continue;
    for (let i = instruction.start; i < instruction.end; i++) {
      lines[i] = lines[i]
        .replace(/(--from=)(\d+)(?=\s|$)/g, (_all, flag: string, index: string) => `${flag}${Number(index) + shift}`)
        .replace(/(--mount=\S*?\bfrom=)(\d+)(?=[,\s]|$)/g, (_all, flag: string, index: string) => `${flag}${Number(index) + shift}`);
    }
  }
  const stages = names.map((name) => `FROM ${contexts[name]} AS ${name}`);
  const at = firstFrom ? firstFrom.start : lines.length;
  lines.splice(at, 0, ...stages);
  return lines.join('\n');
}
