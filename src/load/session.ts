/**
 * State shared by one `load()` call: the problems collected so far (reported all at once at the
 * end), the text of every file read (for code frames), warnings (deduplicated), and file access
 * that turns I/O failures into problems instead of exceptions.
 */
import { readFileSync } from 'node:fs';
import type { Problem, SourceLocation } from '../errors.js';
import { locatedMessage } from './located.js';
import { interpolateTree, unsetWarning, type Lookup } from './interpolate.js';
import { DEFAULT_YAML_BUDGETS, parseYaml, type YamlBudgets } from './parse-yaml.js';

export class LoadSession {
  readonly problems: Problem[] = [];
  /**
   * Problems that do not stop loading (interpolation errors: the value stays as written). They
   * are reported together with validation's, so the user sees every problem in one run.
   */
  readonly valueProblems: Problem[] = [];
  readonly sources = new Map<string, string>();
  readonly warnings: string[] = [];
  private readonly warned = new Set<string>();

  constructor(
    readonly interpolate: boolean,
    readonly budgets: YamlBudgets = DEFAULT_YAML_BUDGETS,
    /** Where the command runs: positions in warnings name files relative to it. */
    readonly cwd?: string,
  ) {}

  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warnings.push(message);
  }

  /** A warning about a place in a file: `compose.yaml:1:7: message`. */
  warnAt(location: SourceLocation | undefined, message: string): void {
    this.warn(locatedMessage(location, message, this.cwd));
  }

  problem(problem: Problem): void {
    this.problems.push(problem);
  }

  /**
   * Reads a text file. When it cannot be read, records a problem worded like Compose's
   * (`open F: no such file or directory`) at `referencedAt` (the place that named the file) and
   * returns undefined.
   */
  readText(file: string, referencedAt?: { path: string; location?: SourceLocation }): string | undefined {
    try {
      const text = readFileSync(file, 'utf8');
      this.sources.set(file, text);
      return text;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? `open ${file}: no such file or directory`
          : code === 'EISDIR'
            ? `read ${file}: is a directory`
            : `open ${file}: ${(error as Error).message}`;
      this.problem({ path: referencedAt?.path ?? '', location: referencedAt?.location, message: reason });
      return undefined;
    }
  }

  /** Parses YAML text into located documents; problems are recorded, undefined on failure. */
  parse(file: string, text: string): unknown[] | undefined {
    this.sources.set(file, text);
    const parsed = parseYaml(text, file, this.budgets);
    if (parsed.problems.length > 0) {
      this.problems.push(...parsed.problems);
      return undefined;
    }
    return parsed.documents;
  }

  /** Interpolates a document in place (unless interpolation is off); problems and warnings are recorded. */
  interpolateDocument(doc: Record<string, unknown>, lookup: Lookup): void {
    if (!this.interpolate) return;
    const report = { problems: this.valueProblems, unset: [] as string[], warnings: [] as string[] };
    interpolateTree(doc, lookup, report);
    for (const name of report.unset) this.warn(unsetWarning(name));
    for (const message of report.warnings) this.warn(message);
  }
}
