/**
 * Loads the compose files of one project (the main one or an included one) into one tree, in
 * Compose's order: for each file and each YAML document in it, interpolate, resolve `extends`,
 * resolve `include`, drop `version` (with Compose's warning), merge into what came before, and
 * remove redefinitions from sequences.
 */
import type { SourceLocation } from '../errors.js';
import { applyExtends } from './extends.js';
import { applyInclude } from './include.js';
import { copySelfLocation, selfLocation } from './located.js';
import { enforceUnicity, isMapping, mergeMappings } from './merge.js';
import type { Scope } from './scope.js';
import type { LoadSession } from './session.js';

type Mapping = Record<string, unknown>;

export interface ComposeSource {
  /** Absolute path, or `-` for stdin. */
  readonly name: string;
  /** The text when already read (stdin); otherwise the file is read here. */
  readonly text?: string;
  /** Where the file was named (an include entry), for a missing-file problem. */
  readonly referencedAt?: { path: string; location?: SourceLocation };
}

export function versionWarning(file: string): string {
  return `${file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`;
}

/** Parses a file into its documents; problems are recorded and undefined is returned on failure. */
export function readComposeFile(session: LoadSession, source: ComposeSource): unknown[] | undefined {
  const text = source.text ?? session.readText(source.name, source.referencedAt);
  if (text === undefined) return undefined;
  return session.parse(source.name, text);
}

/** Loads and merges the given files; `documents` may hold already parsed files by name. */
export function loadFiles(
  session: LoadSession,
  scope: Scope,
  sources: readonly ComposeSource[],
  documents: ReadonlyMap<string, unknown[] | undefined> = new Map(),
): Mapping {
  const merged: Mapping = {};
  for (const source of sources) {
    const docs = documents.has(source.name) ? documents.get(source.name) : readComposeFile(session, source);
    if (!docs) continue;
    for (const doc of docs) {
      if (doc === null) continue; // an empty document
      if (!isMapping(doc)) {
        session.problem({
          path: '',
          location: selfLocation(doc) ?? { file: source.name, line: 1, col: 1 },
          message: 'Top-level object must be a mapping',
        });
        continue;
      }
      session.interpolateDocument(doc, scope.lookup);
      applyExtends(session, scope, doc, source.name);
      applyInclude(session, scope, doc, source.name, loadFiles);
      if (Object.prototype.hasOwnProperty.call(doc, 'version')) {
        session.warn(versionWarning(source.name));
        delete doc.version;
      }
      if (!selfLocation(merged)) copySelfLocation(doc, merged);
      mergeMappings(merged, doc);
      enforceUnicity(merged);
    }
  }
  return merged;
}
