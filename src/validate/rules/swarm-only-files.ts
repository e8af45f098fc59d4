/**
 * Secrets and configs only a swarm can provide: external ones (kept by the swarm) and those made
 * by a driver or a template driver. On an engine without Swarm a service cannot use them; Compose
 * says so only when it creates the service's container.
 */
import type { Finding } from '../finding.js';
import { isMapping, isTrue, section, type Rule, type RuleInput } from '../rule.js';
import { fileReferences } from '../service-references.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const kind of ['secrets', 'configs'] as const) {
    const definitions = section(input.tree, kind);
    for (const [name, service] of input.services) {
      if (!input.enabled.has(name)) continue;
      for (const reference of fileReferences(['services', name], service, kind)) {
        const definition = definitions[reference.name];
        if (!isMapping(definition)) continue;
        if (isMapping(definition.external) || isTrue(definition.external)) {
          yield {
            path: reference.path,
            message: `external ${kind} ("${reference.name}") need Swarm mode and cannot be used by tscompose`,
            hint: `give it a \`file:\`${kind === 'configs' ? ', `content:`' : ''} or \`environment:\` source, or deploy to a swarm with tscompose stack deploy`,
          };
        } else if (definition.driver !== undefined || definition.template_driver !== undefined) {
          yield {
            path: reference.path,
            message: `${kind}.${reference.name}: driver and template_driver are not supported without Swarm`,
            hint: 'remove `driver` and `template_driver`, or deploy to a swarm with tscompose stack deploy',
          };
        }
      }
    }
  }
}

export const swarmOnlyFiles: Rule = { name: 'swarm-only-files', target: 'engine', check };
