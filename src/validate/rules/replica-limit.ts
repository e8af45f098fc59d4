/**
 * A replica count beyond any plausible use (`scale: 100000000`, a typo or a runaway variable) is
 * refused before `up` starts creating containers one by one; Compose accepts it.
 */
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, type Rule, type RuleInput } from '../rule.js';
import { numberOf } from '../syntax/quantities.js';

/** The most containers tscompose runs for one service. */
export const MAX_REPLICAS = 1000;

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of enabledServices(input)) {
    const places: Array<{ path: string[]; value: unknown }> = [{ path: ['services', name, 'scale'], value: service.scale }];
    if (isMapping(service.deploy)) places.push({ path: ['services', name, 'deploy', 'replicas'], value: service.deploy.replicas });
    for (const { path, value } of places) {
      const count = numberOf(value);
      if (count === undefined || count <= MAX_REPLICAS) continue;
      yield {
        path,
        message: `${path.slice(2).join('.')} ${String(value)} is more than the ${MAX_REPLICAS} containers tscompose runs for one service`,
        hint: 'lower it: each replica is a container of its own, so this is most likely a typo or a variable gone wrong',
      };
    }
  }
}

export const replicaLimit: Rule = { name: 'replica-limit', check };
