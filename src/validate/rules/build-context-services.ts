/**
 * An extra build context `service:NAME` is NAME's image, built first: NAME must be a service of
 * the project, and one that builds (Compose 2.26's words for both).
 */
import { didYouMean } from '../did-you-mean.js';
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, type Rule, type RuleInput } from '../rule.js';

/** `additional_contexts` entries as [name, location, path key], from the map or `name=location` list form. */
function contexts(build: unknown): [string, string, string | number][] {
  const value = isMapping(build) ? build.additional_contexts : undefined;
  if (isMapping(value)) return Object.entries(value).flatMap(([key, location]) => (typeof location === 'string' ? [[key, location, key] as [string, string, string]] : []));
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, index) => {
    if (typeof entry !== 'string' || !entry.includes('=')) return [];
    const equals = entry.indexOf('=');
    return [[entry.slice(0, equals), entry.slice(equals + 1), index] as [string, string, number]];
  });
}

function* check(input: RuleInput): Iterable<Finding> {
  const byName = new Map(input.services);
  for (const [name, service] of enabledServices(input)) {
    for (const [context, location, key] of contexts(service.build)) {
      if (!location.startsWith('service:')) continue;
      const target = location.slice('service:'.length);
      const path = ['services', name, 'build', 'additional_contexts', key];
      const found = byName.get(target);
      if (!found) {
        yield {
          path,
          message: `service "${name}" declares unknown service "${target}" as additional contexts ${context}`,
          hint: didYouMean(target, [...byName.keys()]) ?? `define "${target}" under \`services:\`, or use a directory or docker-image:// context`,
        };
      } else if (found.build === undefined) {
        yield {
          path,
          message: `service "${name}" declares non-buildable service "${target}" as additional contexts ${context}`,
          hint: typeof found.image === 'string' ? `use docker-image://${found.image} for the image it runs` : `give "${target}" a build section`,
        };
      }
    }
  }
}

export const buildContextServices: Rule = { name: 'build-context-services', check };
