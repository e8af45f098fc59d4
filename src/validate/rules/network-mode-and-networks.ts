/** `network_mode` replaces the service's networking, so it cannot be combined with `networks`. */
import type { Finding } from '../finding.js';
import { enabledServices, type Rule, type RuleInput } from '../rule.js';

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of enabledServices(input)) {
    if (service.network_mode === undefined || service.networks === undefined) continue;
    yield {
      path: ['services', name, 'networks'],
      at: 'key',
      message: `service "${name}" declares mutually exclusive \`network_mode\` and \`networks\``,
      hint: 'keep `networks` to join project networks, or `network_mode` to share another network stack',
    };
  }
}

export const networkModeAndNetworks: Rule = { name: 'network-mode-and-networks', check };
