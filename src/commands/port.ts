/** `tscompose port SERVICE PRIVATE_PORT`: the host address a container port is published on (`127.0.0.1:32768`). */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { openEngine } from './engine-session.js';
import { loadProjectOrName, rejectUnknownServiceNames } from './project-or-name.js';
import { publishedPort } from '../api/port.js';

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
    const published = await publishedPort(engine, name, service, Number(privatePort), {
      protocol,
      signal: ctx.signal,
      ...(options.index === undefined ? {} : { index: options.index }),
    });
    ctx.stdout.write(`${published.host}:${published.port}\n`);
  } finally {
    engine.close();
  }
}
