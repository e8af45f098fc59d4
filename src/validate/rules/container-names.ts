/**
 * `container_name` must be a name the engine accepts, must belong to one container only (so not
 * with more than one replica), and must not be used by two enabled services: the engine would
 * create the first container and then fail on the second, half-way through `up`.
 */
import type { Finding } from '../finding.js';
import { type Rule, type RuleInput } from '../rule.js';
import { replicaCount } from './replica-settings.js';

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function* check(input: RuleInput): Iterable<Finding> {
  const owners = new Map<string, string>();
  for (const [name, service] of input.services) {
    const containerName = service.container_name;
    // Empty (`container_name: ${UNSET}`) means no name, as in Compose.
    if (typeof containerName !== 'string' || containerName === '') continue;
    const path = ['services', name, 'container_name'];
    if (!VALID_NAME.test(containerName)) {
      yield {
        path,
        message: `Invalid container name (${containerName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
        hint: 'start with a letter or digit, then use letters, digits, "_", "." or "-"',
      };
    }
    const replicas = replicaCount(service);
    if (replicas > 1) {
      yield {
        path,
        message: `can't set container_name "${containerName}" on service "${name}" with ${replicas} replicas: container names must be unique`,
        hint: 'remove container_name, or run a single replica',
      };
    }
    if (!input.enabled.has(name)) continue;
    const owner = owners.get(containerName);
    if (owner !== undefined) {
      yield {
        path,
        message: `container name "${containerName}" is already used by service "${owner}"`,
        hint: 'give each service its own container_name, or remove it and let tscompose name the containers',
      };
    } else {
      owners.set(containerName, name);
    }
  }
}

export const containerNames: Rule = { name: 'container-names', check };
