/**
 * Mount types an engine without Swarm cannot mount: named pipes (Windows engines) and cluster
 * volumes (Swarm's CSI volumes). Compose passes them to the engine, which refuses them when the
 * first container is created, after networks and volumes exist.
 */
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    if (!input.enabled.has(name) || !Array.isArray(service.volumes)) continue;
    for (const [index, entry] of service.volumes.entries()) {
      if (!isMapping(entry)) continue;
      const path = ['services', name, 'volumes', index, 'type'];
      if (entry.type === 'npipe') {
        yield { path, message: 'named pipe mounts (type: npipe) only work with Windows engines', hint: 'use a bind mount of a unix socket instead' };
      } else if (entry.type === 'cluster') {
        yield { path, message: 'cluster volumes (type: cluster) need Swarm mode and cannot be used by tscompose', hint: 'deploy to a swarm with tscompose stack deploy' };
      }
    }
  }
}

export const engineMountTypes: Rule = { name: 'engine-mount-types', target: 'engine', check };
