/**
 * The sources of the secrets and configs that the enabled services use must exist: a `file:`
 * on the host, an `environment:` variable in the shell or the env file. Compose accepts a missing
 * one and fails at `up` ("bind source path does not exist", "environment variable ... is not
 * set"), after creating the project's networks; here it is a problem at the value, reported with
 * the rest.
 */
import { existsSync } from 'node:fs';
import type { Problem } from '../errors.js';
import { resolveHostFile } from './host-file.js';
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

/**
 * Problems for the missing sources; `environment` holds the variables interpolation sees (`HOME`
 * resolves `~`), relative paths start at the project directory.
 */
export function missingReferencedSources(
  tree: Mapping,
  enabled: readonly string[],
  workingDir: string,
  environment: Readonly<Record<string, string>>,
): Problem[] {
  const allServices = isMapping(tree.services) ? tree.services : {};
  const services = enabled.map((name) => allServices[name]).filter(isMapping);
  const problems: Problem[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    const definitions = tree[kind];
    if (!isMapping(definitions)) continue;
    for (const name of referencedNames(services, kind)) {
      const definition = definitions[name];
      if (!isMapping(definition)) continue;
      const what = `${kind === 'secrets' ? 'secret' : 'config'} "${name}"`;
      const variable = definition.environment;
      if (typeof variable === 'string' && variable !== '' && !Object.prototype.hasOwnProperty.call(environment, variable)) {
        problems.push({
          path: `${kind}.${name}.environment`,
          location: entryLocation(definition, 'environment'),
          message: `${what}: the environment variable ${variable} is not set`,
          hint: `set ${variable} in the shell or in the project's env file`,
        });
      }
      if (typeof definition.file !== 'string' || definition.file === '') continue;
      const file = resolveHostFile(definition.file, workingDir, environment.HOME);
      if (file === undefined || existsSync(file)) continue;
      problems.push({
        path: `${kind}.${name}.file`,
        location: entryLocation(definition, 'file'),
        message: `${what}: file ${file} does not exist`,
        hint: `create it, or correct the path (a relative path starts at the project directory, ${workingDir})`,
      });
    }
  }
  return problems;
}
