/**
 * Secrets and configs. A service's short reference `- name` becomes `{source: name}`; Compose
 * fills in the target of secrets (`/run/secrets/<source>`) but leaves configs' targets unset.
 * Build secrets are references too, with no target filled in. Top-level definitions get their
 * engine name (resource-names.ts) and an absolute `file`.
 */
import type { FileReference, SecretOrConfig } from './types.js';
import { resolveHostPath, type PathContext } from './paths.js';
import { externalAndName, resourceName } from './resource-names.js';
import { optionalLabels } from './environment.js';
import { compact, extensionsOf, isTree, optionalString, scalarString, stringMap } from './scalars.js';

export type ReferenceKind = 'secret' | 'config' | 'build-secret';

export function toFileReferences(value: unknown, kind: ReferenceKind): FileReference[] {
  if (!Array.isArray(value)) return [];
  const out: FileReference[] = [];
  for (const item of value) {
    let reference: FileReference | undefined;
    if (isTree(item)) {
      const source = optionalString(item.source);
      if (source === undefined) continue;
      reference = compact({
        source,
        target: optionalString(item.target),
        uid: optionalString(item.uid),
        gid: optionalString(item.gid),
        mode: fileMode(item.mode),
        extensions: extensionsOf(item),
      });
    } else {
      const source = scalarString(item);
      if (source === undefined) continue;
      reference = { source };
    }
    if (kind === 'secret' && reference.target === undefined) {
      reference = { ...reference, target: `/run/secrets/${reference.source}` };
    }
    out.push(reference);
  }
  return out;
}

/** A file mode: YAML `0440` arrives as the number 288; a string is read as octal, like Go. */
function fileMode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^[0-7]+$/.test(value)) return parseInt(value, 8);
  return undefined;
}

export function toSecretOrConfig(
  key: string,
  value: unknown,
  projectName: string,
  paths: PathContext,
): SecretOrConfig {
  const raw = isTree(value) ? value : {};
  const { external, name } = externalAndName(raw);
  const file = optionalString(raw.file);
  return compact({
    name: resourceName(key, name, external, projectName),
    file: file === undefined ? undefined : resolveHostPath(file, paths),
    environment: optionalString(raw.environment),
    content: optionalString(raw.content),
    external: external || undefined,
    labels: optionalLabels(raw.labels),
    driver: optionalString(raw.driver),
    driver_opts: stringMap(raw.driver_opts),
    template_driver: optionalString(raw.template_driver),
    extensions: extensionsOf(raw),
  });
}
