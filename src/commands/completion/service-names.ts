/**
 * The service names a shell completes, read straight from the compose files: the files `up` would
 * read (`-f`, COMPOSE_FILE, else the nearest compose.yaml and its override) and the files they
 * `include`, parsed as YAML and nothing more. No interpolation, validation or engine call: a
 * completion must answer while the user waits at the prompt. Services behind a profile are
 * listed too (naming one on the command line enables it). Files that cannot be read give nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { composeFileVariable, discoverFiles, explicitFiles, STDIN } from '../../load/find-files.js';

export interface ServiceSource {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `-f` values from the command line being completed. */
  readonly files: readonly string[];
  readonly projectDirectory?: string;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The paths an `include:` list names, relative to the including file's directory. */
function includedFiles(include: unknown, directory: string): string[] {
  if (!Array.isArray(include)) return [];
  return include.flatMap((entry: unknown) => {
    const named = isMapping(entry) ? entry.path : entry;
    const paths = Array.isArray(named) ? named : [named];
    return paths.filter((item): item is string => typeof item === 'string').map((item) => path.resolve(directory, item));
  });
}

function collect(file: string, names: Set<string>, seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  let documents: unknown[];
  try {
    documents = parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as unknown);
  } catch {
    return;
  }
  for (const document of documents) {
    if (!isMapping(document)) continue;
    if (isMapping(document.services)) for (const name of Object.keys(document.services)) names.add(name);
    for (const included of includedFiles(document.include, path.dirname(file))) collect(included, names, seen);
  }
}

export function serviceNames(source: ServiceSource): string[] {
  const fromVariable = composeFileVariable(source.env as Record<string, string>);
  let files: string[];
  if (source.files.length > 0) files = explicitFiles(source.files, source.cwd);
  else if (fromVariable.length > 0) files = explicitFiles(fromVariable, source.projectDirectory ?? source.cwd);
  else files = discoverFiles(source.projectDirectory ? path.resolve(source.cwd, source.projectDirectory) : source.cwd)?.files ?? [];
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const file of files) if (file !== STDIN) collect(file, names, seen);
  return [...names].sort();
}
