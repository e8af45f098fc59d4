/**
 * `build`: the string form is the context. The context (unless a git/HTTP URL) and
 * additional contexts (unless `scheme://`) become absolute; `dockerfile` defaults to
 * `Dockerfile` unless `dockerfile_inline` is given, and stays relative to the context.
 */
import type { Build } from './types.js';
import { optionalLabels, resolveBuildArgs } from './environment.js';
import { toExtraHosts } from './extra-hosts.js';
import { isRemoteContext, resolveHostPath, type PathContext } from './paths.js';
import { toFileReferences } from './secrets-configs.js';
import { parseSize } from './sizes.js';
import { toUlimits } from './ulimits.js';
import {
  compact,
  extensionsOf,
  isTree,
  optionalBoolean,
  optionalString,
  scalarString,
  stringList,
  stringMap,
} from './scalars.js';

export function toBuild(
  value: unknown,
  paths: PathContext,
  environment: Readonly<Record<string, string>>,
): Build | undefined {
  let raw: Record<string, unknown>;
  if (isTree(value)) raw = value;
  else {
    const context = scalarString(value);
    if (context === undefined) return undefined;
    raw = { context };
  }
  const contextText = optionalString(raw.context) ?? '.';
  const context = isRemoteContext(contextText) ? contextText : resolveHostPath(contextText, paths);
  const dockerfileInline = optionalString(raw.dockerfile_inline);
  const dockerfile = optionalString(raw.dockerfile) ?? (dockerfileInline === undefined ? 'Dockerfile' : undefined);
  const additional = additionalContexts(raw.additional_contexts, paths);
  return compact({
    context,
    dockerfile,
    dockerfile_inline: dockerfileInline,
    entitlements: stringList(raw.entitlements),
    args: raw.args === undefined || raw.args === null ? undefined : resolveBuildArgs(raw.args, environment),
    ssh: sshList(raw.ssh, paths),
    labels: optionalLabels(raw.labels),
    cache_from: stringList(raw.cache_from),
    cache_to: stringList(raw.cache_to),
    no_cache: optionalBoolean(raw.no_cache),
    additional_contexts: additional,
    network: optionalString(raw.network),
    pull: optionalBoolean(raw.pull),
    target: optionalString(raw.target),
    shm_size: parseSize(raw.shm_size),
    extra_hosts: raw.extra_hosts === undefined ? undefined : toExtraHosts(raw.extra_hosts),
    isolation: optionalString(raw.isolation),
    privileged: optionalBoolean(raw.privileged),
    secrets: raw.secrets === undefined ? undefined : toFileReferences(raw.secrets, 'build-secret'),
    tags: stringList(raw.tags),
    ulimits: raw.ulimits === undefined ? undefined : toUlimits(raw.ulimits),
    platforms: stringList(raw.platforms),
    extensions: extensionsOf(raw),
  });
}

/**
 * `additional_contexts` as a mapping (also from the `name=location` list form), locations made
 * absolute unless they are `scheme://` references, `service:NAME` (the image another service
 * builds) or git references, which Compose keeps as written.
 */
export function additionalContexts(value: unknown, paths: PathContext): Record<string, string> | undefined {
  const entries = Array.isArray(value) ? keyValueMap(value) : stringMap(value);
  if (!entries) return undefined;
  for (const [name, location] of Object.entries(entries)) {
    if (!location.includes('://') && !location.startsWith('service:') && !isRemoteContext(location)) {
      entries[name] = resolveHostPath(location, paths);
    }
  }
  return entries;
}

/**
 * `ssh` (`[default, "key=~/.ssh/id"]` or `{key: ~/.ssh/id, default: null}`) as id -> absolute
 * path (undefined: the agent), the later entry winning for one id.
 */
export function sshKeys(value: unknown, paths: PathContext): Map<string, string | undefined> | undefined {
  if (value === null || value === undefined) return undefined;
  const keys = new Map<string, string | undefined>();
  const add = (id: string, file: string | undefined): void => {
    keys.set(id, file === undefined || file === '' ? undefined : resolveHostPath(file, paths));
  };
  if (isTree(value)) {
    for (const [id, file] of Object.entries(value)) add(id, scalarString(file));
  } else {
    for (const entry of stringList(value) ?? []) {
      const equals = entry.indexOf('=');
      if (equals < 0) add(entry, undefined);
      else add(entry.slice(0, equals), entry.slice(equals + 1));
    }
  }
  return keys;
}

/** `ssh` as Compose prints it: `default` for the agent, `id: /path` for a key file; sorted by id. */
function sshList(value: unknown, paths: PathContext): string[] | undefined {
  const keys = sshKeys(value, paths);
  if (!keys) return undefined;
  return [...keys.keys()].sort().map((id) => {
    const file = keys.get(id);
    return file === undefined ? id : `${id}: ${file}`;
  });
}

function keyValueMap(list: readonly unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const text = scalarString(item);
    if (text === undefined) continue;
    const equals = text.indexOf('=');
    if (equals > 0) out[text.slice(0, equals)] = text.slice(equals + 1);
  }
  return out;
}
