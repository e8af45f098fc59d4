/**
 * `extends`: a service starts from a copy of another service (same file: `extends: base` or
 * `{service: base}`; other file: `{service: base, file: other.yaml}`), resolved recursively
 * (chains, cycles reported like Compose), then the extending service is merged on top with the
 * same rules as override files. A base from another file is read and interpolated with the
 * current project's variables, and its relative paths are made absolute against its own
 * directory. Resources the base refers to (networks, volumes) are not imported, as in Compose.
 */
import path from 'node:path';
import { cloneLocated, copySelfLocation, locate } from './located.js';
import { enforceUnicity, isMapping, mergeMappings, SERVICE_RULES } from './merge.js';
import { rebaseService } from './rebase-paths.js';
import type { Scope } from './scope.js';
import type { LoadSession } from './session.js';

type Mapping = Record<string, unknown>;

/** The services of one file, with what is needed to resolve `extends` inside it. */
interface ServiceTable {
  readonly services: Mapping;
  /** The file's path, as Compose names it in messages. */
  readonly file: string;
  /** Base for a relative `extends.file`. */
  readonly dir: string;
  /** The tree the services belong to (for positions). */
  readonly root: Mapping;
  /** True for a file named by `extends.file`: its relative paths belong to its own directory. */
  readonly foreign: boolean;
}

interface ChainLink {
  readonly service: string;
  readonly file: string;
}

/** Resolves `extends` for every service of one document, in place. */
export function applyExtends(session: LoadSession, scope: Scope, doc: Mapping, file: string): void {
  const services = doc.services;
  if (!isMapping(services)) return;
  const table: ServiceTable = { services, file, dir: scope.workingDir, root: doc, foreign: false };
  for (const name of Object.keys(services)) resolveService(session, scope, table, name, []);
}

function resolveService(session: LoadSession, scope: Scope, table: ServiceTable, name: string, chain: readonly ChainLink[]): Mapping | undefined {
  const service = table.services[name];
  if (!isMapping(service)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(service, 'extends')) return service;
  const spec = service.extends;
  let ref: string;
  let fileRef: string | undefined;
  if (typeof spec === 'string') {
    ref = spec;
  } else if (isMapping(spec) && typeof spec.service === 'string' && (spec.file === undefined || typeof spec.file === 'string')) {
    ref = spec.service;
    fileRef = spec.file as string | undefined;
  } else {
    return service; // malformed: left for the validator
  }
  const where = { path: `services.${name}.extends`, location: locate(table.root, ['services', name, 'extends']) };

  if (chain.some((link) => link.service === name && link.file === table.file)) {
    const lines = ['Circular reference:', `  ${chain[0].service} in ${chain[0].file}`];
    for (const link of [...chain.slice(1), { service: name, file: table.file }]) lines.push(`  extends ${link.service} in ${link.file}`);
    session.problem({ ...where, message: lines.join('\n') });
    return undefined;
  }

  let baseTable = table;
  if (fileRef !== undefined) {
    const absolute = path.resolve(table.dir, fileRef);
    const other = loadExtendedFile(session, scope, absolute, where);
    if (!other) {
      delete service.extends;
      return service;
    }
    const otherServices = isMapping(other.services) ? other.services : {};
    baseTable = { services: otherServices, file: absolute, dir: path.dirname(absolute), root: other, foreign: true };
  }
  if (!Object.prototype.hasOwnProperty.call(baseTable.services, ref)) {
    const suffix = fileRef !== undefined ? ` in ${fileRef}` : '';
    session.problem({ ...where, message: `cannot extend service "${name}" in ${table.file}: service "${ref}" not found${suffix}` });
    delete service.extends;
    return service;
  }
  const resolvedBase = resolveService(session, scope, baseTable, ref, [...chain, { service: name, file: table.file }]);
  delete service.extends;
  if (!resolvedBase) return service;

  const base = cloneLocated(resolvedBase);
  if (baseTable.foreign) rebaseService(base, baseTable.dir);
  const merged = mergeMappings(base, service, SERVICE_RULES);
  copySelfLocation(service, merged);
  table.services[name] = merged;
  return merged;
}

/** A file named by `extends.file`: all its documents merged and interpolated, read once per project. */
function loadExtendedFile(session: LoadSession, scope: Scope, file: string, where: { path: string; location?: ReturnType<typeof locate> }): Mapping | undefined {
  if (scope.extendsFiles.has(file)) return scope.extendsFiles.get(file);
  scope.extendsFiles.set(file, undefined);
  const text = session.readText(file, where);
  if (text === undefined) return undefined;
  const docs = session.parse(file, text);
  if (!docs) return undefined;
  const merged: Mapping = {};
  for (const doc of docs) {
    if (!isMapping(doc)) continue;
    session.interpolateDocument(doc, scope.lookup);
    mergeMappings(merged, doc);
  }
  enforceUnicity(merged);
  scope.extendsFiles.set(file, merged);
  return merged;
}
