/**
 * `env_file` of the enabled services is read and folded into `environment`, as Compose does when
 * it resolves a project: `environment` wins over env files, later env files win over earlier
 * ones, and the `env_file` key is removed. Entries taken from an env file point at their line in
 * that file. Disabled services keep their `env_file` unread (Compose does not read them either).
 *
 * Forms: `env_file: a.env`, `env_file: [a.env, {path: b.env, required: false, format: raw}]`.
 * Relative paths resolve against the project directory. A malformed `env_file` is left in place
 * for the validator.
 */
import path from 'node:path';
import { entryLocation, locate, setEntryLocation, setSelfLocation } from './located.js';
import { readEnvFiles, type EnvFileRef, type EnvValue } from './env-files.js';
import type { Lookup } from './interpolate.js';
import { isMapping } from './merge.js';
import type { LoadSession } from './session.js';

type Mapping = Record<string, unknown>;

function envFileRefs(tree: Mapping, name: string, value: unknown, workingDir: string): EnvFileRef[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!list) return undefined;
  const refs: EnvFileRef[] = [];
  for (const [index, entry] of list.entries()) {
    const at = Array.isArray(value) ? ['services', name, 'env_file', index] : ['services', name, 'env_file'];
    // A problem with the file points at the path as written (`path: x.env` at its value, not its key).
    const referencedAt = {
      path: `services.${name}.env_file${Array.isArray(value) ? `[${index}]` : ''}`,
      location: locate(tree, isMapping(entry) ? [...at, 'path'] : at),
    };
    if (typeof entry === 'string') {
      refs.push({ file: path.resolve(workingDir, entry), required: true, referencedAt });
    } else if (isMapping(entry) && typeof entry.path === 'string') {
      if (entry.required !== undefined && typeof entry.required !== 'boolean') return undefined;
      if (entry.format !== undefined && entry.format !== 'raw') return undefined;
      refs.push({
        file: path.resolve(workingDir, entry.path),
        required: entry.required !== false,
        format: entry.format === 'raw' ? 'raw' : undefined,
        referencedAt,
      });
    } else {
      return undefined;
    }
  }
  return refs;
}

export function foldEnvFiles(session: LoadSession, tree: Mapping, enabled: readonly string[], workingDir: string, projectEnv: Lookup): void {
  const services = tree.services;
  if (!isMapping(services)) return;
  for (const name of enabled) {
    const service = services[name];
    if (!isMapping(service) || service.env_file === undefined) continue;
    const environment = service.environment;
    if (environment !== undefined && environment !== null && !isMapping(environment) && !Array.isArray(environment)) continue;
    const refs = envFileRefs(tree, name, service.env_file, workingDir);
    if (!refs) continue;
    const values = readEnvFiles(session, refs, {
      outer: projectEnv,
      earlierFilesFirst: true,
      missing: (file) => `env file ${file} not found: stat ${file}: no such file or directory`,
    });
    const anchor = entryLocation(service, 'env_file', 'key');
    delete service.env_file;
    foldInto(service, values, anchor);
  }
}

function foldInto(service: Mapping, values: ReadonlyMap<string, EnvValue>, anchor: ReturnType<typeof entryLocation>): void {
  if (values.size === 0) return;
  let environment = service.environment;
  if (environment === undefined || environment === null) {
    environment = {};
    setSelfLocation(environment as Mapping, anchor);
    service.environment = environment;
    setEntryLocation(service, 'environment', { key: anchor, value: anchor });
  }
  if (isMapping(environment)) {
    for (const [key, entry] of values) {
      if (Object.prototype.hasOwnProperty.call(environment, key)) continue;
      environment[key] = entry.value;
      setEntryLocation(environment, key, { key: entry.location, value: entry.location });
    }
  } else if (Array.isArray(environment)) {
    const list = environment;
    const defined = new Set(list.map((item) => (typeof item === 'string' ? item.split('=', 1)[0] : undefined)));
    for (const [key, entry] of values) {
      if (defined.has(key)) continue;
      list.push(`${key}=${entry.value}`);
      setEntryLocation(list, list.length - 1, { value: entry.location });
    }
  }
}
