/**
 * `expose` entries must be ports (`8080`, `8080/udp`, `8000-8010/tcp`). Compose accepts anything
 * here and the engine silently ignores what it cannot read; we reject it.
 */
import type { Finding } from '../finding.js';
import { type Rule, type RuleInput } from '../rule.js';
import { PROTOCOLS, parsePortRange } from '../syntax/port-spec.js';

function isExposable(entry: string): boolean {
  const [ports, protocol, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  if (protocol !== undefined && !PROTOCOLS.includes(protocol.toLowerCase())) return false;
  const range = parsePortRange(ports);
  return range !== undefined && range.start > 0;
}

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const expose = service.expose;
    if (!Array.isArray(expose)) continue;
    for (let index = 0; index < expose.length; index++) {
      const entry = expose[index];
      if (typeof entry !== 'string' && typeof entry !== 'number') continue;
      if (isExposable(String(entry))) continue;
      yield {
        path: ['services', name, 'expose', index],
        message: `invalid exposed port ${JSON.stringify(String(entry))}`,
        hint: 'use PORT[/PROTOCOL] or START-END[/PROTOCOL], e.g. 8080 or 8080/udp',
      };
    }
  }
}

export const exposeSyntax: Rule = { name: 'expose-syntax', check };
