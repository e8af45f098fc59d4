/**
 * The engine a command talks to: the endpoint resolved from the command's environment like the
 * Docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, the current context), its warnings printed, and
 * the dockerode-backed Engine created only when a command needs one (`config` never loads it).
 * The caller closes it when done.
 */
import type { Engine } from '../apply/engine.js';
import type { Context } from '../context.js';

export async function openEngine(ctx: Context): Promise<Engine> {
  const [{ resolveEndpoint }, { createDockerEngine }] = await Promise.all([
    import('../apply/endpoint.js'),
    import('../apply/docker-engine.js'),
  ]);
  const resolved = resolveEndpoint(ctx.env);
  for (const warning of resolved.warnings) ctx.warn(warning);
  return createDockerEngine(resolved.endpoint);
}
