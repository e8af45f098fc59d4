/** Where a container port of a service is published on the host (`127.0.0.1:32768`). */
import type { Engine } from '../apply/engine.js';
import { UsageError } from '../errors.js';
import { pickServiceContainer } from './service-containers.js';

export interface PortQuery {
  /** `tcp` (default), `udp` or `sctp`. */
  readonly protocol?: string;
  /** The replica (default: the first running one). */
  readonly index?: number;
  readonly signal?: AbortSignal;
}

export interface PublishedAddress {
  /** The host address the port is bound to, `0.0.0.0` for every address. */
  readonly host: string;
  readonly port: number;
}

export async function publishedPort(engine: Engine, projectName: string, service: string, privatePort: number, query: PortQuery = {}): Promise<PublishedAddress> {
  const protocol = (query.protocol ?? 'tcp').toLowerCase();
  const container = await pickServiceContainer({ signal: query.signal }, engine, projectName, service, query.index === undefined ? {} : { index: query.index });
  const published = container.ports.find((entry) => entry.privatePort === privatePort && entry.protocol === protocol && entry.publicPort !== undefined);
  if (published?.publicPort === undefined) {
    const list = container.ports.filter((entry) => entry.publicPort !== undefined).map((entry) => `${entry.publicPort}/${entry.protocol}`);
    throw new UsageError(`no port ${privatePort}/${protocol} for container ${container.name}: ${list.join(', ')}`);
  }
  return { host: published.hostIp ?? '0.0.0.0', port: published.publicPort };
}
