/**
 * Host paths are resolved like Compose resolves them: `~` against the user's home, relative
 * paths against the project directory (joined and cleaned), absolute paths kept as written.
 * Container paths are cleaned like Go's path.Clean. Pure string work: node:path, no file system.
 */
import path from 'node:path';
import { isClean, isWindowsAbsolute } from '../load/bind-paths.js';

export interface PathContext {
  /** Absolute project directory. */
  readonly workingDir: string;
  /** The user's home directory, for `~`. */
  readonly home: string;
}

export function resolveHostPath(value: string, context: PathContext): string {
  // Go's filepath.Join cleans the result (no trailing slash), node's join keeps a trailing slash.
  if (value.startsWith('~')) return cleanPath(path.posix.join(context.home, value.slice(1)));
  if (path.posix.isAbsolute(value)) return value;
  return cleanPath(path.posix.join(context.workingDir, value));
}

/**
 * A bind mount's source (and a local bind volume's device) as Compose resolves it: like any host
 * path, except that a Windows absolute path (`C:\data`, `C:/data`) is kept
 * as written, for a Windows client talking to a Linux engine or the other way round.
 */
export function resolveBindSource(value: string, context: PathContext): string {
  if (isWindowsAbsolute(value)) return value;
  return resolveHostPath(value, context);
}

/** Go's path.Clean: no `.`/`..` segments, no doubled or trailing slashes, `.` for empty. */
export function cleanPath(value: string): string {
  if (value === '') return '.';
  if (isClean(value)) return value;
  const rooted = value.startsWith('/');
  const out: string[] = [];
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Build contexts Compose leaves alone: git and HTTP URLs. */
export function isRemoteContext(value: string): boolean {
  return ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'].some((prefix) => value.startsWith(prefix));
}
