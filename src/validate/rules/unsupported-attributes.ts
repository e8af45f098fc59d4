/**
 * Attributes of newer Compose versions that the schema knows but tscompose cannot honour. Running
 * without them would start something else than the file describes (a container without the
 * engine socket it was promised, a service without the model or the resources its provider
 * creates), so each
 * is a configuration problem at its position, as Compose 2.26 also refuses them.
 */
import type { Finding } from '../finding.js';
import { enabledServices, type Rule, type RuleInput } from '../rule.js';

const UNSUPPORTED: ReadonlyArray<{ readonly key: string; readonly what: string; readonly hint: string }> = [
  {
    key: 'use_api_socket',
    what: 'use_api_socket (newer Compose: the engine socket and credentials in the container)',
    hint: 'mount the socket yourself if the service needs it: volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
  },
  {
    key: 'models',
    what: 'models (newer Compose: AI models served by Docker Model Runner)',
    hint: 'run the model server as a service of its own and give this service its address in environment:',
  },
  {
    key: 'provider',
    what: 'provider services (newer Compose: resources made by an external provider)',
    hint: 'create the resources the provider would make yourself, and remove the service or give it an image',
  },
];

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of enabledServices(input)) {
    for (const { key, what, hint } of UNSUPPORTED) {
      if (service[key] === undefined) continue;
      yield { path: ['services', name, key], at: 'key', message: `tscompose does not support ${what}`, hint };
    }
  }
}

export const unsupportedAttributes: Rule = { name: 'unsupported-attributes', check };
