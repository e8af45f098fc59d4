/**
 * Two containers cannot publish the same host port on overlapping addresses: the engine fails
 * with "port is already allocated" after part of the project is up. That covers two enabled
 * services (or two entries) publishing one port, and a fixed host port on a service with more
 * than one replica. A host range for a single container port is a pool to pick from, not a clash.
 */
import type { PathSegment } from '../../load/located.js';
import { formatPath } from '../../load/located.js';
import type { Finding } from '../finding.js';
import { enabledServices, isMapping, type Rule, type RuleInput } from '../rule.js';
import { parsePortRange, parsePortSpec, type PortRange } from '../syntax/port-spec.js';
import { replicaCount } from './replica-settings.js';

interface Binding {
  readonly service: string;
  readonly path: readonly PathSegment[];
  readonly hostIp: string;
  readonly ports: PortRange;
  readonly protocol: string;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

function bindingOf(service: string, entry: unknown, path: readonly PathSegment[]): Binding | undefined {
  let hostIp = '';
  let published: PortRange | undefined;
  let target: PortRange | undefined;
  let protocol = 'tcp';
  if (typeof entry === 'string') {
    const spec = parsePortSpec(entry);
    if (!spec.ok) return undefined;
    ({ published, target, protocol } = spec);
    hostIp = spec.hostIp ?? '';
  } else if (isMapping(entry)) {
    if (entry.published === undefined || entry.published === '') return undefined;
    published = parsePortRange(String(entry.published));
    target = parsePortRange(String(entry.target ?? ''));
    hostIp = typeof entry.host_ip === 'string' ? entry.host_ip : '';
    protocol = typeof entry.protocol === 'string' ? entry.protocol.toLowerCase() : 'tcp';
  }
  if (!published || !target) return undefined;
  // a host range for one container port: the engine picks a free port from it
  if (published.end !== published.start && target.end === target.start) return undefined;
  return { service, path, hostIp, ports: published, protocol };
}

function overlaps(a: Binding, b: Binding): boolean {
  if (a.protocol !== b.protocol) return false;
  if (a.ports.end < b.ports.start || b.ports.end < a.ports.start) return false;
  return WILDCARDS.has(a.hostIp) || WILDCARDS.has(b.hostIp) || a.hostIp === b.hostIp;
}

function describe(binding: Binding): string {
  const { start, end } = binding.ports;
  return `${start === end ? start : `${start}-${end}`}/${binding.protocol}`;
}

/** Bindings published so far, by protocol and host port, so each lookup is a few entries. */
class PublishedPorts {
  private readonly byPort = new Map<string, Binding[]>();

  clashWith(binding: Binding): Binding | undefined {
    for (let port = binding.ports.start; port <= binding.ports.end; port++) {
      const clash = this.byPort.get(`${binding.protocol}/${port}`)?.find((other) => overlaps(other, binding));
      if (clash) return clash;
    }
    return undefined;
  }

  add(binding: Binding): void {
    for (let port = binding.ports.start; port <= binding.ports.end; port++) {
      const key = `${binding.protocol}/${port}`;
      const list = this.byPort.get(key);
      if (list) list.push(binding);
      else this.byPort.set(key, [binding]);
    }
  }
}

function* check(input: RuleInput): Iterable<Finding> {
  const seen = new PublishedPorts();
  for (const [name, service] of enabledServices(input)) {
    const ports = service.ports;
    if (!Array.isArray(ports)) continue;
    const replicas = replicaCount(service);
    for (let index = 0; index < ports.length; index++) {
      const binding = bindingOf(name, ports[index], ['services', name, 'ports', index]);
      if (!binding) continue;
      if (replicas > 1 && binding.ports.start === binding.ports.end) {
        yield {
          path: binding.path,
          message: `host port ${describe(binding)} can't be published by ${replicas} replicas of service "${name}"`,
          hint: 'publish a host range (e.g. "8080-8082:80") or leave the host port out to get ephemeral ports',
        };
      }
      const clash = seen.clashWith(binding);
      if (clash) {
        yield {
          path: binding.path,
          message:
            clash.service === name
              ? `host port ${describe(binding)} is already published by ${formatPath(clash.path)}`
              : `host port ${describe(binding)} is already published by service "${clash.service}"`,
          hint: 'publish a different host port, or bind each to a different host address',
        };
      } else {
        seen.add(binding);
      }
    }
  }
}

export const hostPortConflicts: Rule = { name: 'host-port-conflicts', check };
