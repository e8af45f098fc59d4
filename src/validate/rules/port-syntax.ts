/**
 * Port mappings must parse, with the engine's messages (`Invalid hostPort: abc`, `Invalid proto:
 * xyz`, ranges of different lengths) reported at validation time, and every mapping needs a
 * container port. Wrong JSON types are the schema's to report.
 */
import { isIP } from 'node:net';
import type { PathSegment } from '../../load/located.js';
import type { Finding } from '../finding.js';
import { isMapping, type Rule, type RuleInput } from '../rule.js';
import { parsePortRange, parsePortSpec } from '../syntax/port-spec.js';

const PORT_HINT = 'ports are numbers from 1 to 65535, or ranges like 8000-8010';
const MISSING_TARGET_HINT = 'give the container port: "8080:80" publishes container port 80 on host port 8080';

function missingTarget(path: readonly PathSegment[]): Finding {
  return { path, message: 'port mapping is missing a target port', hint: MISSING_TARGET_HINT };
}

function* checkEntry(entry: unknown, path: readonly PathSegment[]): Iterable<Finding> {
  if (typeof entry === 'number') {
    if (entry === 0) yield missingTarget(path);
    else if (!Number.isInteger(entry) || entry < 0 || entry > 65535) {
      yield { path, message: `Invalid containerPort: ${entry}`, hint: PORT_HINT };
    }
  } else if (typeof entry === 'string') {
    const spec = parsePortSpec(entry);
    if (!spec.ok) yield { path, message: spec.message, hint: spec.hint };
    else if (spec.target.start === 0) yield missingTarget(path);
  } else if (isMapping(entry)) {
    const target = entry.target;
    if (target === undefined || target === 0 || target === '0') yield missingTarget(path);
    else if (/^[+-]?[0-9]+$/.test(String(target)) && !parsePortRange(String(Number(target)))) {
      yield { path: [...path, 'target'], message: `Invalid containerPort: ${String(target)}`, hint: PORT_HINT };
    }
    const published = entry.published;
    if ((typeof published === 'string' && published !== '') || typeof published === 'number') {
      if (!parsePortRange(String(published))) {
        yield { path: [...path, 'published'], message: `Invalid hostPort: ${String(published)}`, hint: PORT_HINT };
      }
    }
    const hostIp = entry.host_ip;
    if (typeof hostIp === 'string' && hostIp !== '' && isIP(hostIp.replace(/^\[(.*)\]$/, '$1')) === 0) {
      yield { path: [...path, 'host_ip'], message: `Invalid ip address: ${hostIp}`, hint: 'use an IPv4 or IPv6 address, e.g. 127.0.0.1' };
    }
  }
}

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const ports = service.ports;
    if (!Array.isArray(ports)) continue;
    for (let index = 0; index < ports.length; index++) {
      yield* checkEntry(ports[index], ['services', name, 'ports', index]);
    }
  }
}

export const portSyntax: Rule = { name: 'port-syntax', check };
