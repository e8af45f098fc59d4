/**
 * `include`: each entry is loaded as a project of its own (its files merged, `extends` and nested
 * `include` resolved) with its own project directory (default: the directory of its first file)
 * and its own env files (default: `.env` in that directory; the including project's variables
 * win over them). Its services, networks, volumes, secrets and configs are then copied into the
 * including document; a name that is already defined differently is an error, as in Compose.
 * Relative paths of included content are made absolute against the include's project directory.
 */
import path from 'node:path';
import { copyEntryLocation, locate } from './located.js';
import { defaultEnvFile, envRecord, readEnvFiles, type EnvFileRef } from './env-files.js';
import { isMapping } from './merge.js';
import { rebaseProject } from './rebase-paths.js';
import { makeScope, type Scope } from './scope.js';
import type { LoadSession } from './session.js';
import type { SourceLocation } from '../errors.js';

type Mapping = Record<string, unknown>;

/** Loads a list of compose files as one project (load-files.ts; passed in to avoid an import cycle). */
export type LoadProjectFiles = (
  session: LoadSession,
  scope: Scope,
  files: ReadonlyArray<{ name: string; referencedAt?: { path: string; location?: SourceLocation } }>,
) => Mapping;

const IMPORTED = ['services', 'volumes', 'networks', 'secrets', 'configs'] as const;

interface IncludeEntry {
  readonly paths: string[];
  readonly projectDirectory?: string;
  readonly envFiles?: string[];
  readonly index: number;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function parseEntries(include: unknown[]): IncludeEntry[] | undefined {
  const entries: IncludeEntry[] = [];
  for (const [index, raw] of include.entries()) {
    if (typeof raw === 'string') {
      entries.push({ paths: [raw], index });
      continue;
    }
    if (!isMapping(raw)) return undefined;
    const paths = stringList(raw.path);
    if (!paths || paths.length === 0) return undefined;
    if (raw.project_directory !== undefined && typeof raw.project_directory !== 'string') return undefined;
    const envFiles = raw.env_file === undefined ? undefined : stringList(raw.env_file);
    if (raw.env_file !== undefined && !envFiles) return undefined;
    entries.push({ paths, projectDirectory: raw.project_directory as string | undefined, envFiles, index });
  }
  return entries;
}

/** Resolves the `include` of one document in place (the key is removed once it is resolved). */
export function applyInclude(session: LoadSession, scope: Scope, doc: Mapping, file: string, loadFiles: LoadProjectFiles): void {
  const include = doc.include;
  if (include === undefined || !Array.isArray(include)) return; // a wrong type is the validator's to report
  const entries = parseEntries(include);
  if (!entries) return;
  const chain = [...scope.includeChain, file];
  for (const entry of entries) {
    const at = { path: `include[${entry.index}]`, location: locate(doc, ['include', entry.index]) };
    const files = entry.paths.map((p) => path.resolve(scope.workingDir, p));
    if (chain.includes(files[0])) {
      const cycle = [...chain, files[0]];
      session.problem({ ...at, message: `include cycle detected:\n${cycle[0]}\n include ${cycle.slice(1).join('\n include ')}` });
      continue;
    }
    const projectDir = entry.projectDirectory !== undefined ? path.resolve(scope.workingDir, entry.projectDirectory) : path.dirname(files[0]);
    const envRefs: EnvFileRef[] = entry.envFiles
      ? entry.envFiles.map((f) => ({ file: path.resolve(scope.workingDir, f), required: true, referencedAt: at }))
      : [defaultEnvFile(projectDir)].filter((f): f is string => f !== undefined).map((f) => ({ file: f, required: true, referencedAt: at }));
    const fromFiles = envRecord(
      readEnvFiles(session, envRefs, {
        outer: scope.lookup,
        earlierFilesFirst: false,
        missing: (f) => `stat ${f}: no such file or directory`,
      }),
    );
    // The including project's variables win over the include's own env files.
    const env = { ...fromFiles, ...scope.env };
    const childScope = makeScope(projectDir, env, chain);
    const imported = loadFiles(
      session,
      childScope,
      files.map((name) => ({ name, referencedAt: at })),
    );
    rebaseProject(imported, projectDir);
    importResources(session, imported, doc, at);
  }
  delete doc.include;
}

function importResources(session: LoadSession, imported: Mapping, doc: Mapping, at: { path: string; location?: SourceLocation }): void {
  for (const kind of IMPORTED) {
    const from = imported[kind];
    if (!isMapping(from)) continue;
    let to = doc[kind];
    if (to === undefined || to === null) {
      to = {};
      doc[kind] = to;
      copyEntryLocation(imported, kind, doc);
    }
    if (!isMapping(to)) continue;
    for (const name of Object.keys(from)) {
      if (Object.prototype.hasOwnProperty.call(to, name)) {
        if (deepEqual(to[name], from[name])) continue;
        session.problem({
          path: `${kind}.${name}`,
          location: locate(doc, [kind, name], 'key') ?? at.location,
          message: `${kind}.${name} conflicts with imported resource`,
          hint: `an included file (${locate(imported, [kind, name], 'key')?.file ?? 'see include'}) defines it differently; rename one of them`,
        });
        continue;
      }
      to[name] = from[name];
      copyEntryLocation(from, name, to);
    }
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Mapping)[k], (b as Mapping)[k]));
}
