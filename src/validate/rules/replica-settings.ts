/**
 * Settings that exist twice must agree: `scale` and `deploy.replicas`, and `cpus`, `mem_limit`,
 * `mem_reservation`, `pids_limit` and their `deploy.resources` counterparts. Compose refuses
 * distinct values; equal ones written differently (`1g` and `1024m`) are fine.
 */
import type { Finding } from '../finding.js';
import { isMapping, type Mapping, type Rule, type RuleInput } from '../rule.js';
import { bytesOf, numberOf } from '../syntax/quantities.js';

/** How many containers the service runs: deploy.replicas, else scale, else 1. */
export function replicaCount(service: Mapping): number {
  const deploy = isMapping(service.deploy) ? service.deploy : {};
  return numberOf(deploy.replicas) ?? numberOf(service.scale) ?? 1;
}

interface Pair {
  readonly key: string;
  readonly deployPath: readonly string[];
  readonly read: (value: unknown) => number | undefined;
}

const PAIRS: readonly Pair[] = [
  { key: 'scale', deployPath: ['replicas'], read: numberOf },
  { key: 'cpus', deployPath: ['resources', 'limits', 'cpus'], read: numberOf },
  { key: 'mem_limit', deployPath: ['resources', 'limits', 'memory'], read: bytesOf },
  { key: 'mem_reservation', deployPath: ['resources', 'reservations', 'memory'], read: bytesOf },
  { key: 'pids_limit', deployPath: ['resources', 'limits', 'pids'], read: numberOf },
];

function deployValue(service: Mapping, path: readonly string[]): unknown {
  let node: unknown = service.deploy;
  for (const key of path) node = isMapping(node) ? node[key] : undefined;
  return node;
}

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    for (const pair of PAIRS) {
      const own = pair.read(service[pair.key]);
      const deployed = pair.read(deployValue(service, pair.deployPath));
      if (own === undefined || deployed === undefined || own === deployed) continue;
      const deployKey = ['deploy', ...pair.deployPath].join('.');
      yield {
        path: ['services', name, pair.key],
        message: `can't set distinct values on '${pair.key}' and '${deployKey}'`,
        hint: `set only one of them, or give both the same value (${deployKey} is ${String(deployValue(service, pair.deployPath))})`,
      };
    }
  }
}

export const replicaSettings: Rule = { name: 'replica-settings', check };
