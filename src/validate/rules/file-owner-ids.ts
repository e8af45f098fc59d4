/**
 * The owner of a secret or config file copied into a container is set before the container starts,
 * when no user name can be looked up in its image: `uid` and `gid` must be numbers.
 */
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    if (!input.enabled.has(name)) continue;
    for (const kind of ['secrets', 'configs'] as const) {
      const list = service[kind];
      if (!Array.isArray(list)) continue;
      for (const [index, entry] of list.entries()) {
        if (!isMapping(entry)) continue;
        for (const field of ['uid', 'gid'] as const) {
          const value = entry[field];
          if (value === undefined || value === '' || typeof value === 'number' || /^\d+$/.test(String(value))) continue;
          yield {
            path: ['services', name, kind, index, field],
            message: `"${String(value)}" is not a numeric id`,
            hint: 'use the numeric uid/gid: names are not resolved before the container starts',
          };
        }
      }
    }
  }
}

export const fileOwnerIds: Rule = { name: 'file-owner-ids', target: 'engine', check };
