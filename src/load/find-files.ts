/**
 * Which compose files to read: `-f` (repeatable, `-` = stdin), else COMPOSE_FILE (split on
 * COMPOSE_PATH_SEPARATOR, default `:`), else discovery: the first directory from the start
 * directory up to `/` that holds one of the default names, plus its override file.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Env } from './types.js';

/** Default names, in Compose's order of preference. */
export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
export const OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
] as const;

export const STDIN = '-';

export interface FoundFiles {
  /** Absolute paths, or `-` for stdin. */
  readonly files: string[];
  readonly warnings: string[];
}

function isFile(candidate: string): boolean {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

/** Picks the preferred candidate among `names` in `dir`, warning like Compose when several exist. */
function pick(dir: string, names: readonly string[], kind: 'config' | 'override', warnings: string[]): string | undefined {
  const present = names.map((name) => path.join(dir, name)).filter(isFile);
  if (present.length > 1) {
    warnings.push(`Found multiple ${kind} files with supported names: ${present.join(', ')}`);
    warnings.push(`Using ${present[0]}`);
  }
  return present[0];
}

/** Walks up from `startDir`; undefined when no directory up to the root holds a compose file. */
export function discoverFiles(startDir: string): FoundFiles | undefined {
  const warnings: string[] = [];
  let dir = path.resolve(startDir);
  for (;;) {
    const main = pick(dir, DEFAULT_FILE_NAMES, 'config', warnings);
    if (main) {
      const override = pick(dir, OVERRIDE_FILE_NAMES, 'override', warnings);
      return { files: override ? [main, override] : [main], warnings };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `-f` values or COMPOSE_FILE entries, made absolute against the current directory. */
export function explicitFiles(values: readonly string[], cwd: string): string[] {
  return values.map((value) => (value === STDIN ? STDIN : path.resolve(cwd, value)));
}

/** COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR (`:` by default, `;` on Windows). */
export function composeFileVariable(env: Env): string[] {
  const value = env.COMPOSE_FILE;
  if (!value) return [];
  const separator = env.COMPOSE_PATH_SEPARATOR || (process.platform === 'win32' ? ';' : ':');
  return value.split(separator).filter((entry) => entry !== '');
}

/** Whether a path exists and is a directory. */
export function isDirectory(candidate: string): boolean {
  return existsSync(candidate) && statSync(candidate).isDirectory();
}
