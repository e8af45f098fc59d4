/**
 * The files of secrets and configs (`file:`) that the enabled services use must exist. Compose
 * accepts a missing one and fails at `up` ("bind source path does not exist"), after creating
 * the project's networks; here it is a problem at the `file:` value, reported with the rest.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../errors.js';
import { entryLocation } from './located.js';
import { isMapping } from './merge.js';

type Mapping = Record<string, unknown>;

/** Names of the top-level `kind` entries that the services refer to (`secrets: [a, {source: b}]`). */
function referencedNames(services: readonly Mapping[], kind: 'secrets' | 'configs'): Set<string> {
  const names = new Set<string>();
  for (const service of services) {
    const references = service[kind];
    if (!Array.isArray(references)) continue;
    for (const reference of references) {
      if (typeof reference === 'string') names.add(reference);
      else if (isMapping(reference) && typeof reference.source === 'string') names.add(reference.source);
    }
  }
  return names;
}

/** Problems for the missing files; `home` resolves `~`, relative paths start at the project directory. */
export function missingReferencedFiles(tree: Mapping, enabled: readonly string[], workingDir: string, home: string | undefined): Problem[] {
  const allServices = isMapping(tree.services) ? tree.services : {};
  const services = enabled.map((name) => allServices[name]).filter(isMapping);
  const problems: Problem[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    const definitions = tree[kind];
    if (!isMapping(definitions)) continue;
    for (const name of referencedNames(services, kind)) {
      const definition = definitions[name];
      if (!isMapping(definition) || typeof definition.file !== 'string' || definition.file === '') continue;
      const file = resolveFile(definition.file, workingDir, home);
      if (file === undefined || existsSync(file)) continue;
      problems.push({
        path: `${kind}.${name}.file`,
        location: entryLocation(definition, 'file'),
        message: `${kind === 'secrets' ? 'secret' : 'config'} "${name}": file ${file} does not exist`,
        hint: `create it, or correct the path (a relative path starts at the project directory, ${workingDir})`,
      });
    }
  }
  return problems;
}

function resolveFile(file: string, workingDir: string, home: string | undefined): string | undefined {
  if (file === '~' || file.startsWith('~/')) return home === undefined ? undefined : path.join(home, file.slice(1));
  return path.resolve(workingDir, file);
}
