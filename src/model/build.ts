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
  const additional = stringMap(raw.additional_contexts);
  if (additional) {
    for (const [name, location] of Object.entries(additional)) {
      if (!location.includes('://')) additional[name] = resolveHostPath(location, paths);
    }
  }
  return compact({
    context,
    dockerfile,
    dockerfile_inline: dockerfileInline,
    args: raw.args === undefined || raw.args === null ? undefined : resolveBuildArgs(raw.args, environment),
    ssh: stringList(raw.ssh),
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
