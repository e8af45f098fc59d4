/**
 * Engine-side names of top-level resources, as Compose derives them: the `name:` the user wrote;
 * otherwise the key itself for an external resource (it already exists under that name);
 * otherwise `<project>_<key>`.
 */
import { isTree, optionalBoolean, optionalString, type Tree } from './scalars.js';

export function resourceName(key: string, name: string | undefined, external: boolean, projectName: string): string {
  if (name !== undefined && name !== '') return name;
  if (external) return key;
  return `${projectName}_${key}`;
}

/**
 * `external: true`, or the legacy `external: {name: x}` (which also names the resource).
 * Shared by networks, volumes, secrets and configs.
 */
export function externalAndName(raw: Tree): { external: boolean; name: string | undefined } {
  let name = optionalString(raw.name);
  let external = false;
  if (isTree(raw.external)) {
    external = true;
    name ??= optionalString(raw.external.name);
  } else {
    external = optionalBoolean(raw.external) ?? false;
  }
  return { external, name };
}
