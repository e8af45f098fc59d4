/**
 * The short port syntax `[[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, with ranges, parsed
 * the way the engine's own parser does it so that our messages are the ones Compose prints
 * (`Invalid hostPort: abc`, `Invalid proto: xyz`, ...) but at validation time.
 */
import { isIP } from 'node:net';
import { rememberedByText } from './remembered.js';

export interface PortRange {
  readonly start: number;
  readonly end: number;
}

export type PortSpec =
  | {
      readonly ok: true;
      readonly hostIp?: string;
      readonly published?: PortRange;
      readonly target: PortRange;
      readonly protocol: string;
    }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

export const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp'];

/** `8080` or `8000-8010`, each port 0..65535, start <= end. */
export function parsePortRange(text: string): PortRange | undefined {
  const match = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return { start, end };
}

function splitParts(raw: string): { ip: string; host: string; container: string } {
  const parts = raw.split(':');
  const n = parts.length;
  const container = parts[n - 1];
  if (n === 1) return { ip: '', host: '', container };
  if (n === 2) return { ip: '', host: parts[0], container };
  return { ip: parts.slice(0, n - 2).join(':'), host: parts[n - 2], container };
}

const SHAPE_HINT = 'use [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "8080:80" or "127.0.0.1:5432:5432/tcp"';

/** Reads a short port spec (each distinct text once, see remembered.ts). */
export const parsePortSpec: (raw: string) => PortSpec = rememberedByText(readPortSpec);

function readPortSpec(raw: string): PortSpec {
  const { ip: rawIp, host, container: containerWithProto } = splitParts(raw);
  const slash = containerWithProto.indexOf('/');
  const containerPort = slash < 0 ? containerWithProto : containerWithProto.slice(0, slash);
  const protocol = slash < 0 || slash === containerWithProto.length - 1 ? 'tcp' : containerWithProto.slice(slash + 1);
  let ip = rawIp;
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']')) return { ok: false, message: `Invalid ip address: ${ip}`, hint: SHAPE_HINT };
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && isIP(ip) === 0) return { ok: false, message: `Invalid ip address: ${ip}`, hint: SHAPE_HINT };
  if (containerPort === '') return { ok: false, message: `No port specified: ${raw}<empty>`, hint: SHAPE_HINT };
  const target = parsePortRange(containerPort);
  if (!target) {
    return { ok: false, message: `Invalid containerPort: ${containerPort}`, hint: 'ports are numbers from 1 to 65535, or ranges like 8000-8010' };
  }
  let published: PortRange | undefined;
  if (host !== '') {
    published = parsePortRange(host);
    if (!published) {
      return { ok: false, message: `Invalid hostPort: ${host}`, hint: 'ports are numbers from 1 to 65535, or ranges like 8000-8010' };
    }
    const containerIsRange = target.end !== target.start;
    if (containerIsRange && published.end - published.start !== target.end - target.start) {
      return {
        ok: false,
        message: `Invalid ranges specified for container and host Ports: ${containerPort} and ${host}`,
        hint: 'a container port range needs a host range of the same length',
      };
    }
  }
  if (!PROTOCOLS.includes(protocol.toLowerCase())) {
    return { ok: false, message: `Invalid proto: ${protocol}`, hint: `use ${PROTOCOLS.join(', ')}` };
  }
  return { ok: true, hostIp: ip === '' ? undefined : ip, published, target, protocol: protocol.toLowerCase() };
}
