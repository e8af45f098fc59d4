/**
 * `ports`: short syntax (`[host_ip:][published:]target[/protocol]`, ranges, `[::1]` IPv6 hosts)
 * becomes one long entry per container port; long entries get Compose's defaults
 * (`mode: ingress`, `protocol: tcp`); identical entries are kept once.
 */
import type { Port } from './types.js';
import { compact, extensionsOf, isTree, optionalInteger, optionalString, scalarString } from './scalars.js';

export function toPorts(value: unknown): Port[] {
  const out: Port[] = [];
  const seen = new Set<string>();
  const add = (port: Port): void => {
    const key = JSON.stringify(port);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(port);
  };
  if (!Array.isArray(value)) return out;
  for (const item of value) {
    if (isTree(item)) {
      const port = longPort(item);
      if (port) add(port);
    } else {
      const text = scalarString(item);
      if (text !== undefined) for (const port of parsePortSpec(text)) add(port);
    }
  }
  return out;
}

function longPort(item: Record<string, unknown>): Port | undefined {
  const target = optionalInteger(item.target);
  if (target === undefined) return undefined;
  return compact({
    name: optionalString(item.name),
    mode: optionalString(item.mode) ?? 'ingress',
    host_ip: optionalString(item.host_ip) || undefined,
    target,
    published: optionalString(item.published) || undefined,
    protocol: optionalString(item.protocol) ?? 'tcp',
    app_protocol: optionalString(item.app_protocol),
    extensions: extensionsOf(item),
  });
}

interface PortRange {
  readonly start: number;
  readonly end: number;
}

function parseRange(text: string): PortRange | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  return end < start ? undefined : { start, end };
}

/**
 * One short-syntax entry -> long entries. Compose orders the expanded entries by the text
 * `<port>/<protocol>` (so `9000/udp` before `9001/udp`, and `10` before `9`). Total: an entry
 * that does not parse gives nothing (the validator reports it).
 */
export function parsePortSpec(spec: string): Port[] {
  const parts = spec.split(':');
  const last = parts[parts.length - 1];
  let hostIp = '';
  let hostPort = '';
  if (parts.length === 2) hostPort = parts[0];
  else if (parts.length >= 3) {
    hostIp = parts.slice(0, parts.length - 2).join(':');
    hostPort = parts[parts.length - 2];
  }
  if (hostIp.startsWith('[') && hostIp.endsWith(']')) hostIp = hostIp.slice(1, -1);
  const slash = last.indexOf('/');
  const containerPart = slash === -1 ? last : last.slice(0, slash);
  const protocol = (slash === -1 ? 'tcp' : last.slice(slash + 1) || 'tcp').toLowerCase();
  const container = parseRange(containerPart);
  if (!container) return [];
  const host = hostPort === '' ? undefined : parseRange(hostPort);
  if (hostPort !== '' && !host) return [];
  const containerCount = container.end - container.start;
  if (host && host.end - host.start !== containerCount && containerCount !== 0) return [];

  const ports: Port[] = [];
  for (let i = 0; i <= containerCount; i++) {
    let published: string | undefined;
    if (host) {
      published = String(host.start + i);
      // A single container port with a host range: the range is where to allocate from.
      if (containerCount === 0 && host.start !== host.end) published = `${host.start}-${host.end}`;
    }
    ports.push(
      compact({
        mode: 'ingress',
        host_ip: hostIp || undefined,
        target: container.start + i,
        published,
        protocol,
      }),
    );
  }
  return ports.sort((a, b) => {
    const ka = `${a.target}/${a.protocol}`;
    const kb = `${b.target}/${b.protocol}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
