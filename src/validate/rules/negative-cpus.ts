/** A CPU count cannot be negative; the engine only says so at `up`, after creating other things. */
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';
import { numberOf } from '../syntax/quantities.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const places: Array<{ path: Array<string>; value: unknown }> = [{ path: ['services', name, 'cpus'], value: service.cpus }];
    const resources = isMapping(service.deploy) && isMapping(service.deploy.resources) ? service.deploy.resources : {};
    for (const kind of ['limits', 'reservations']) {
      const block = resources[kind];
      if (isMapping(block)) places.push({ path: ['services', name, 'deploy', 'resources', kind, 'cpus'], value: block.cpus });
    }
    for (const { path, value } of places) {
      const cpus = numberOf(value);
      if (cpus === undefined || cpus >= 0) continue;
      yield { path, message: `cpus must not be negative, got ${String(value)}`, hint: 'use a positive number of CPUs, e.g. 0.5 or 2' };
    }
  }
}

export const negativeCpus: Rule = { name: 'negative-cpus', check };
