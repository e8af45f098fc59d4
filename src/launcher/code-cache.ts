/**
 * V8's compiled code of the CLI bundle, kept per user between runs. Compiling the bundle's source
 * is most of a short command's start-up; a cache made after a run holds every function that run
 * compiled, so the next run of the same command compiles almost nothing.
 *
 * What a cache file holds is V8 bytecode and the literals of the bundle's source: nothing a run
 * computed (no environment value, no file content). It is an optimisation only: any file that
 * cannot be read, belongs to another build, Node or command, or that V8 rejects is ignored and
 * replaced; a directory that cannot be written is left alone; deleting the directory at any time
 * is safe.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** What the cache of one run is keyed by: a different value of any part means another file or a miss. */
export interface CodeCacheKey {
  /** Content hash of the bundle, fixed at build time. */
  readonly bundleHash: string;
  /**
   * Where the bundle is: V8 keeps the file name of the run that made a cache in the code it
   * restores (stack traces, profiles), so each copy of a build has its own files.
   */
  readonly bundlePath: string;
  /** process.version, process.versions.v8 and process.arch: V8's code cache fits one build of V8. */
  readonly node: string;
  readonly v8: string;
  readonly arch: string;
  /** The command word (commandWord): each command compiles its own set of functions. */
  readonly command: string;
}

/** Files of other builds are removed once they have not been rewritten for this long. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

const MAGIC = 'tscompose-code-cache 1';

/** `$XDG_CACHE_HOME/tscompose`, else `~/.cache/tscompose`; undefined without a usable base. */
export function codeCacheDirectory(env: Readonly<Record<string, string | undefined>>, home: string | undefined): string | undefined {
  // The XDG base directory rules: a relative XDG_CACHE_HOME is invalid and ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'tscompose');
  if (home === undefined || !isAbsolute(home)) return undefined;
  return join(home, '.cache', 'tscompose');
}

/**
 * Global flags that take a value in the next argument (`-f FILE ps`): not the command word. The
 * launcher loads no commander, so the list is kept here; a unit test holds it to src/cli.ts's options.
 */
export const GLOBAL_FLAGS_WITH_VALUE = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--profile', '--env-file', '--parallel', '--progress', '--ansi']);

/**
 * The command a run's arguments name (`ps`, `up`, `__complete`), for the cache key only: a guess
 * that is wrong costs a cache miss, never a wrong result. `other` when there is none that fits a
 * file name.
 */
export function commandWord(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (GLOBAL_FLAGS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    return /^[a-z_][a-z0-9_-]{0,39}$/.test(arg) ? arg : 'other';
  }
  return 'other';
}

/** Help and version flags print and exit early: a cache made by such a run would lack the command's code. */
export function worthCaching(args: readonly string[]): boolean {
  return !args.some((arg) => arg === '-h' || arg === '--help' || arg === '-v' || arg === '--version');
}

/** `<hash>-<path hash>-node<version>-<arch>-<command>.v8`: one file per command, the copy's files sharing a prefix. */
function filePrefix(key: CodeCacheKey): string {
  return `${key.bundleHash.slice(0, 16)}-${pathHash(key.bundlePath)}-node${key.node.replace(/^v/, '')}-${key.arch}-`;
}

/** FNV-1a of the path, in hex: a short, stable name part (crypto would cost more to load than it saves). */
function pathHash(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export function codeCacheFile(dir: string, key: CodeCacheKey): string {
  return join(dir, `${filePrefix(key)}${key.command}.v8`);
}

function header(key: CodeCacheKey): Buffer {
  return Buffer.from(`${MAGIC}\n${key.bundleHash}\n${key.bundlePath}\n${key.node}\n${key.v8}\n${key.arch}\n${key.command}\n`, 'utf8');
}

/**
 * The cached data for `key`, or undefined when there is none, it cannot be read, it was written
 * for another key, or it is not this user's own file (another user could plant compiled code in
 * a shared directory).
 */
export function readCodeCache(file: string, key: CodeCacheKey): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || (process.getuid !== undefined && stat.uid !== process.getuid()) || (stat.mode & 0o022) !== 0) return undefined;
    const expected = header(key);
    if (stat.size <= expected.length) return undefined;
    const content = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < content.length) {
      const n = readSync(fd, content, read, content.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return content.subarray(0, expected.length).equals(expected) ? content.subarray(expected.length) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes the cache for `key` atomically (a reader sees the old file or the new one, never half of
 * one), private to the user, and removes other builds' files that have gone stale. Returns false,
 * having written nothing, when the directory cannot be made or written.
 */
export function writeCodeCache(dir: string, key: CodeCacheKey, data: Buffer, now = Date.now()): boolean {
  const file = codeCacheFile(dir, key);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, Buffer.concat([header(key), data]), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
    return false;
  }
  removeStale(dir, key, now);
  return true;
}

/** Other builds' and Node versions' files not rewritten for a day (a second install in use rewrites its own). */
function removeStale(dir: string, key: CodeCacheKey, now: number): void {
  const current = filePrefix(key);
  try {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(current) || !/\.v8(\.\d+\.tmp)?$/.test(name)) continue;
      const path = join(dir, name);
      try {
        if (now - statSync(path).mtimeMs > STALE_AFTER_MS) unlinkSync(path);
      } catch {
        // Removed by another run meanwhile, or not ours to remove.
      }
    }
  } catch {
    // An unreadable directory: nothing to tidy.
  }
}
