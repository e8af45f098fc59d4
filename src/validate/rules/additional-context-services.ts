/**
 * A build's `additional_contexts` entry `service:NAME` names the image of another service's
 * build, so NAME must be an enabled service with a `build:` section. Compose 2.26 checks the same
 * and fails with "declares unknown service" / "declares non-buildable service".
 */
import type { PathSegment } from '../../load/located.js';
import type { Finding } from '../finding.js';
import { didYouMean } from '../did-you-mean.js';
import { enabledServices, isMapping, type Rule, type RuleInput } from '../rule.js';

const SERVICE_PREFIX = 'service:';

interface ContextReference {
  readonly key: string;
  readonly target: string;
  readonly path: readonly PathSegment[];
}

/** The `service:` entries of a build's additional contexts, in the mapping or the `key=value` list form. */
function serviceContexts(build: unknown, base: readonly PathSegment[]): ContextReference[] {
  if (!isMapping(build)) return [];
  const contexts = build.additional_contexts;
  const path = [...base, 'build', 'additional_contexts'];
  const entries: Array<[string, unknown, PathSegment]> = Array.isArray(contexts)
    ? contexts.flatMap((item, index): Array<[string, unknown, PathSegment]> => {
        if (typeof item !== 'string' || !item.includes('=')) return [];
        const equals = item.indexOf('=');
        return [[item.slice(0, equals), item.slice(equals + 1), index]];
      })
    : isMapping(contexts)
      ? Object.entries(contexts).map(([key, value]): [string, unknown, PathSegment] => [key, value, key])
      : [];
  return entries.flatMap(([key, value, segment]) =>
    typeof value === 'string' && value.startsWith(SERVICE_PREFIX)
      ? [{ key, target: value.slice(SERVICE_PREFIX.length), path: [...path, segment] }]
      : [],
  );
}

function* check(input: RuleInput): Iterable<Finding> {
  const byName = new Map(input.services);
  for (const [name, service] of enabledServices(input)) {
    for (const { key, target, path } of serviceContexts(service.build, ['services', name])) {
      const targetService = input.enabled.has(target) ? byName.get(target) : undefined;
      if (targetService === undefined) {
        yield {
          path,
          message: `service "${name}" declares unknown service "${target}" as additional contexts ${key}`,
          hint: byName.has(target)
            ? `"${target}" is disabled by its profiles: enable it with --profile, or build from another context`
            : (didYouMean(target, [...input.enabled]) ?? `define "${target}" under \`services:\` with a build section`),
        };
      } else if (targetService.build === undefined || targetService.build === null) {
        yield {
          path,
          message: `service "${name}" declares non-buildable service "${target}" as additional contexts ${key}`,
          hint: `give "${target}" a build section, or use its image as a context: docker-image://<image>`,
        };
      }
    }
  }
}

export const additionalContextServices: Rule = { name: 'additional-context-services', check };
