/**
 * A service may only depend on services that exist and are enabled: through depends_on (short or
 * long syntax), links, network_mode/ipc/pid `service:x` and volumes_from. `required: false` makes
 * a missing or disabled dependency acceptable. For a dependency that profiles disable, say which
 * profile enables it (Compose 2.26 only says "undefined service").
 */
import { didYouMean } from '../did-you-mean.js';
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, type Rule, type RuleInput } from '../rule.js';
import { serviceDependencies, type ServiceDependency } from '../service-references.js';

const VIA_TEXT: Readonly<Record<ServiceDependency['via'], string>> = {
  depends_on: 'depends on',
  links: 'links to',
  network_mode: 'uses the network stack of',
  ipc: 'shares the IPC namespace of',
  pid: 'shares the PID namespace of',
  volumes_from: 'mounts the volumes of',
};

function profilesOf(service: unknown): string[] {
  const profiles = isMapping(service) ? service.profiles : undefined;
  return Array.isArray(profiles) ? profiles.filter((p): p is string => typeof p === 'string') : [];
}

function* check(input: RuleInput): Iterable<Finding> {
  const byName = new Map(input.services);
  for (const [name, service] of enabledServices(input)) {
    for (const dependency of serviceDependencies(name, service)) {
      if (!dependency.required) continue;
      const target = dependency.name;
      if (!byName.has(target)) {
        const defined = [...byName.keys()];
        yield {
          path: dependency.path,
          at: dependency.at,
          // Compose's wording for every kind of dependency; the hint says which attribute made it one.
          message: `service "${name}" depends on undefined service "${target}"`,
          hint:
            didYouMean(target, defined) ??
            (dependency.via === 'depends_on'
              ? `define "${target}" under \`services:\`, or remove the dependency`
              : `"${name}" ${VIA_TEXT[dependency.via]} "${target}" (${dependency.via}); define that service, or change ${dependency.via}`),
        };
      } else if (!input.enabled.has(target)) {
        const profiles = profilesOf(byName.get(target));
        const enableWith = profiles.length > 0 ? `--profile ${profiles[0]} (or COMPOSE_PROFILES=${profiles[0]})` : 'its profile';
        yield {
          path: dependency.path,
          at: dependency.at,
          message: `service "${target}" is required by "${name}" but is disabled. Can be enabled by profiles [${profiles.join(', ')}]`,
          hint:
            dependency.via === 'depends_on'
              ? `enable it with ${enableWith}, or mark the dependency \`required: false\``
              : `enable it with ${enableWith}`,
        };
      }
    }
  }
}

export const undefinedServices: Rule = { name: 'undefined-services', check };
