/**
 * Which changed paths a watch trigger ignores, decided from patterns alone (pure: no file is read
 * here; the caller passes the text of `.dockerignore`). One filter per trigger (a `develop.watch`
 * rule or a watched bind mount) combines, in this order:
 *
 * 1. `.git` anywhere below the trigger's root, and editors' temporary files (swap files, backups,
 *    lock files, JetBrains' safe-write copies, `.idea/`);
 * 2. the service's build-context `.dockerignore`, relative to the context (only for paths inside it);
 * 3. the trigger's own `ignore` patterns, relative to its root;
 * 4. the trigger's `include` patterns, relative to its root: when given, only files matching one
 *    of them count (directories are never excluded by `include`: what they hold may match).
 *
 * Patterns have `.dockerignore` semantics, as Docker implements them (through the same matcher the
 * build context uses): anchored at the root (`*.md` is a top-level file, `**\/*.md` any depth), a
 * pattern matching a directory covers everything below it, `!` re-includes, the last matching
 * pattern wins.
 *
 * `prunes(dir)` answers the question the file watcher asks before it opens a directory: may the
 * whole directory be skipped? Only when it is ignored *and* no `!` pattern could re-include
 * something below it; so `node_modules` in `.dockerignore` is never read, and `!logs/keep.log`
 * keeps `logs/` open.
 */
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { posix, relative, sep } from 'node:path';

// The package is CommonJS: at runtime the default import is its factory function.
const dockerignore = dockerignoreModule as unknown as (options?: { ignorecase?: boolean }) => Ignore;

/**
 * Temporary and backup files that editors write next to the real ones (by file name): vim's
 * `.x.swp`/`.x.swo`/`.x.swpx` and its `4913` write probe, `x~` backups, emacs' `.#x` locks and
 * `#x#` auto-saves, kate's `.x.kate-swp`, JetBrains' `x___jb_tmp___` / `x___jb_old___`, and the
 * temporary files of Go's toolchain.
 */
const EDITOR_TEMPORARY_NAMES: readonly RegExp[] = [
  /^\..*\.sw[a-p]x?$/,
  /^4913$/,
  /~$/,
  /^\.#/,
  /^#.*#$/,
  /\.kate-swp$/,
  /___jb_(?:tmp|old)___$/,
  /-go-tmp-umask$/,
];

/** Directories that are never watched below a trigger's root. */
const ALWAYS_IGNORED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', '.idea']);

export function isEditorTemporaryFile(name: string): boolean {
  return EDITOR_TEMPORARY_NAMES.some((pattern) => pattern.test(name));
}

export interface PathFilterSpec {
  /** Absolute root of the trigger (a rule's `path`, a bind mount's source); patterns are relative to it. */
  readonly root: string;
  /** `.dockerignore`-style patterns relative to `root`. */
  readonly ignore?: readonly string[];
  /** When given and not empty: only files matching one of these (relative to `root`) count. */
  readonly include?: readonly string[];
  /** The service's build context (absolute) and the text of its `.dockerignore`. */
  readonly dockerignore?: { readonly context: string; readonly text: string };
}

interface PatternSet {
  readonly base: string;
  readonly matcher: Ignore;
  /** The `!` patterns, cleaned (for pruning decisions). */
  readonly exceptions: readonly string[];
}

function patternSet(base: string, patterns: readonly string[]): PatternSet | undefined {
  const lines = patterns.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) return undefined;
  const exceptions = lines
    .filter((line) => line.startsWith('!'))
    .map((line) => posix.normalize(line.slice(1).trim()).replace(/^\/+/, ''));
  return { base, matcher: dockerignore({ ignorecase: false }).add(lines), exceptions };
}

/** `path` relative to `base` with forward slashes; '' for base itself; undefined when outside it. */
export function relativeInside(base: string, path: string): string | undefined {
  if (path === base) return '';
  const rel = relative(base, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || posix.isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** One `*`/`?`/`[...]` segment pattern (as filepath.Match reads it) against one name. */
function segmentMatches(pattern: string, name: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false;
      source += `[${pattern.slice(i + 1, end).replace(/^\^|^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (char === '\\' && i + 1 < pattern.length) {
      source += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`).test(name);
  } catch {
    return true;
  }
}

/**
 * Whether an exception pattern could re-include something below `dir` (both relative to the same
 * base). Conservative: a `**` or a wildcard segment that may match keeps the directory open, so a
 * directory is never pruned when a file inside could come back.
 */
function mayReinclude(dir: string, exception: string): boolean {
  const dirSegments = dir.split('/');
  const patternSegments = exception.split('/');
  for (let i = 0; i < dirSegments.length; i++) {
    const segment = patternSegments[i];
    if (segment === undefined) return false;
    if (segment === '**') return true;
    if (!segmentMatches(segment, dirSegments[i])) return false;
  }
  return patternSegments.length > dirSegments.length;
}

export class PathFilter {
  readonly root: string;
  private readonly ignore?: PatternSet;
  private readonly include?: PatternSet;
  private readonly dockerignore?: PatternSet;

  constructor(spec: PathFilterSpec) {
    this.root = spec.root;
    this.ignore = patternSet(spec.root, spec.ignore ?? []);
    this.include = patternSet(spec.root, spec.include ?? []);
    if (spec.dockerignore) this.dockerignore = patternSet(spec.dockerignore.context, spec.dockerignore.text.split(/\r?\n/));
  }

  /** Whether `path` lies at or below the root. */
  covers(path: string): boolean {
    return relativeInside(this.root, path) !== undefined;
  }

  /**
   * Whether a change at `path` (absolute, at or below the root) is ignored. `directory` is
   * undefined when the caller does not know (then `include` is not applied). The root itself is
   * never ignored.
   */
  ignores(path: string, directory?: boolean): boolean {
    const rel = relativeInside(this.root, path);
    if (rel === undefined) return true;
    if (rel === '') return false;
    const segments = rel.split('/');
    if (segments.some((segment) => ALWAYS_IGNORED_DIRECTORIES.has(segment))) return true;
    if (isEditorTemporaryFile(segments[segments.length - 1])) return true;
    if (this.excludedBy(this.dockerignore, path)) return true;
    if (this.excludedBy(this.ignore, path)) return true;
    if (this.include && directory === false && !this.excludedBy(this.include, path)) return true;
    return false;
  }

  /** Whether the watcher may skip the directory `dir` without opening it (see the file comment). */
  prunes(dir: string): boolean {
    const rel = relativeInside(this.root, dir);
    if (rel === undefined) return true;
    if (rel === '') return false;
    const segments = rel.split('/');
    if (segments.some((segment) => ALWAYS_IGNORED_DIRECTORIES.has(segment))) return true;
    // The sets exclude independently: a `!` pattern only reopens what its own set excluded.
    for (const set of [this.dockerignore, this.ignore]) {
      if (!set || !this.excludedBy(set, dir)) continue;
      const inBase = relativeInside(set.base, dir)!;
      if (!set.exceptions.some((exception) => mayReinclude(inBase, exception))) return true;
    }
    return false;
  }

  /** The set's patterns exclude `path` (false when the set is absent or `path` is outside its base). */
  private excludedBy(set: PatternSet | undefined, path: string): boolean {
    if (!set) return false;
    const rel = relativeInside(set.base, path);
    if (rel === undefined || rel === '') return false;
    return set.matcher.ignores(rel);
  }
}
