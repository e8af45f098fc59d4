/**
 * Reading env files: the project's `.env` (or the `--env-file` list that replaces it), an
 * include's env files, and a service's `env_file` entries.
 *
 * Which `.env`: Compose 2.26's rule, verified against the reference: the implicit `.env` is read
 * from the project directory only (the `--project-directory`, else the directory of the first
 * compose file, else the current directory). Newer Compose versions also read a `.env` in the
 * current directory first; we do not.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { SourceLocation } from '../errors.js';
import { DotenvError, parseDotenv } from './dotenv.js';
import { unsetWarning, type Lookup } from './interpolate.js';
import type { LoadSession } from './session.js';

export interface EnvValue {
  readonly value: string;
  readonly location: SourceLocation;
}

export interface EnvFileRef {
  /** Absolute path. */
  readonly file: string;
  /** A missing optional file is skipped silently. */
  readonly required: boolean;
  /** `raw`: every line is KEY=VALUE taken literally (no quotes, no interpolation). */
  readonly format?: 'raw';
  /** Where the reference was written, and its dotted path, for problems. */
  readonly referencedAt?: { path: string; location?: SourceLocation };
}

export interface ReadEnvOptions {
  /** The surrounding environment. */
  readonly outer: Lookup;
  /**
   * Which wins when a value refers to a variable: the values of earlier files (service
   * `env_file`, as Compose resolves them) or the surrounding environment (`.env`, include env).
   */
  readonly earlierFilesFirst: boolean;
  /** The message for a missing required file, worded like Compose for each use. */
  readonly missing: (file: string) => string;
}

function fileKind(file: string): 'file' | 'dir' | 'missing' {
  try {
    return statSync(file).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Reads the files in order; later files override earlier ones. Problems go to the session. */
export function readEnvFiles(session: LoadSession, files: readonly EnvFileRef[], options: ReadEnvOptions): Map<string, EnvValue> {
  const values = new Map<string, EnvValue>();
  const lookup: Lookup = options.earlierFilesFirst
    ? (name) => values.get(name)?.value ?? options.outer(name)
    : (name) => options.outer(name) ?? values.get(name)?.value;
  for (const ref of files) {
    const kind = fileKind(ref.file);
    if (kind === 'missing') {
      if (ref.required) session.problem({ path: ref.referencedAt?.path ?? '', location: ref.referencedAt?.location, message: options.missing(ref.file) });
      continue;
    }
    if (kind === 'dir') {
      session.problem({ path: ref.referencedAt?.path ?? '', location: ref.referencedAt?.location, message: `read ${ref.file}: is a directory` });
      continue;
    }
    const text = session.readText(ref.file, ref.referencedAt);
    if (text === undefined) continue;
    if (ref.format === 'raw') {
      for (const [key, entry] of parseRaw(text, ref.file)) values.set(key, entry);
      continue;
    }
    try {
      const parsed = parseDotenv(text, lookup, (name) => session.warn(unsetWarning(name)));
      for (const [key, entry] of parsed) {
        values.set(key, { value: entry.value, location: { file: ref.file, line: entry.line, col: entry.col } });
      }
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error;
      session.problem({
        path: ref.referencedAt?.path ?? '',
        location: { file: ref.file, line: error.line, col: error.col },
        message: `failed to read ${ref.file}: ${error.message}`,
      });
    }
  }
  return values;
}

/** The `raw` env_file format: KEY=VALUE per line, nothing interpreted. */
function parseRaw(text: string, file: string): Map<string, EnvValue> {
  const out = new Map<string, EnvValue>();
  text.split('\n').forEach((line, index) => {
    const content = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (content.trim() === '' || content.trimStart().startsWith('#')) return;
    const eq = content.indexOf('=');
    if (eq < 0) return;
    out.set(content.slice(0, eq).trim(), { value: content.slice(eq + 1), location: { file, line: index + 1, col: 1 } });
  });
  return out;
}

/** The implicit `<dir>/.env`, when it exists and is a file. */
export function defaultEnvFile(dir: string): string | undefined {
  const candidate = path.join(dir, '.env');
  return fileKind(candidate) === 'file' ? candidate : undefined;
}

/** Turns a value map into a plain record. */
export function envRecord(values: ReadonlyMap<string, EnvValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of values) out[key] = entry.value;
  return out;
}
