/**
 * A service's `mac_address` is the address of its first network's endpoint (by `priority`, then
 * name): when that network's own `mac_address` says otherwise, the engine cannot honour both.
 */
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';
import { numberOf } from '../syntax/quantities.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    if (!input.enabled.has(name) || typeof service.mac_address !== 'string' || service.network_mode !== undefined || !isMapping(service.networks)) continue;
    const priority = (attachment: unknown): number => (isMapping(attachment) ? (numberOf(attachment.priority) ?? 0) : 0);
    const [first] = Object.entries(service.networks).sort(([keyA, a], [keyB, b]) => priority(b) - priority(a) || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0));
    if (first === undefined || !isMapping(first[1]) || typeof first[1].mac_address !== 'string' || first[1].mac_address === service.mac_address) continue;
    yield {
      path: ['services', name, 'mac_address'],
      message: `the service-level mac_address must equal the one set on network "${first[0]}"`,
      hint: `set the address in one place: on network "${first[0]}", or at the service`,
    };
  }
}

export const macAddress: Rule = { name: 'mac-address', target: 'engine', check };
