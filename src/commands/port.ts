/** `tscompose port SERVICE PRIVATE_PORT`: the host address a container port is published on (`127.0.0.1:32768`). */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { pickServiceContainer } from '../api/service-containers.js';

export interface PortOptions {
  readonly index?: number;
  readonly protocol: string;
}

export async function portCommand(ctx: Context, service: string, privatePort: string, options: PortOptions): Promise<void> {
  if (!/^[0-9]+$/.test(privatePort)) throw new UsageError(`invalid port "${privatePort}": a container port is a number`);
  const protocol = options.protocol.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new UsageError(`invalid --protocol "${options.protocol}": use tcp or udp`);
  const { name, project } = await loadProjectOrName(ctx);
  rejectUnknownServiceNames(project, [service]);
  const engine = await openEngine(ctx);
  try {
    const container = await pickServiceContainer(ctx, engine, name, service, options.index === undefined ? {} : { index: options.index });
    const port = Number(privatePort);
    const published = container.ports.find((entry) => entry.privatePort === port && entry.protocol === protocol && entry.publicPort !== undefined);
    if (published === undefined) {
      const list = container.ports.filter((entry) => entry.publicPort !== undefined).map((entry) => `${entry.publicPort}/${entry.protocol}`);
      throw new UsageError(`no port ${port}/${protocol} for container ${container.name}: ${list.join(', ')}`);
    }
    ctx.stdout.write(`${published.hostIp ?? '0.0.0.0'}:${published.publicPort}\n`);
  } finally {
    engine.close();
  }
}
