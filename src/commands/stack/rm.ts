/**
 * `tscompose stack rm STACK...`: everything labelled with each stack, as docker stack removes it
 * (services, then secrets and configs, then networks), but waiting by default until the
 * services' tasks are gone before the networks are removed (docker stack removes them while
 * tasks still hold them, fails with "network is in use", and a deploy right after races with the
 * removal). Volumes are never removed: each node keeps its own, as with docker stack.
 */
import { tasksGone } from '../../apply/stack/execute-stack.js';
import { done, working, type ProgressReporter } from '../../apply/progress.js';
import type { SwarmEngine } from '../../apply/swarm-engine.js';
import type { Context } from '../../context.js';
import { TscomposeError } from '../../errors.js';
import { namespaceFilter } from '../../model/stack/names.js';
import { withProgress } from '../apply-plan.js';
import { createProgress } from '../output/create-progress.js';
import { withStackSession } from './stack-session.js';

export interface StackRmOptions {
  /** Return once the removals are asked for, without waiting for the tasks to stop. */
  readonly detach: boolean;
}

/** How long a network still held by stopping tasks is retried. */
const NETWORK_RETRY_MS = 60_000;

export async function stackRmCommand(ctx: Context, stacks: readonly string[], options: StackRmOptions): Promise<void> {
  await withStackSession(ctx, async (session) => {
    const failures: string[] = [];
    const progress = createProgress(ctx);
    await withProgress(progress, async () => {
      for (const stack of stacks) {
        if (!ctx.options.dryRun) await session.lock(stack, 'stack rm');
        const { engine } = session;
        const failed = await removeStack(ctx, session.swarm, engine.removeNetwork.bind(engine), engine.removeContainer.bind(engine), stack, options, progress);
        if (failed) failures.push(stack);
        session.unlock();
      }
    });
    if (failures.length > 0) throw new TscomposeError(`failed to remove some resources from stack: ${failures.join(', ')}`);
  });
}

/** Removes one stack; true when something could not be removed (each failure is printed). */
async function removeStack(
  ctx: Context,
  swarm: SwarmEngine,
  removeNetwork: (id: string, options: { signal?: AbortSignal }) => Promise<void>,
  removeContainer: (id: string, options: { signal?: AbortSignal; volumes?: boolean }) => Promise<void>,
  stack: string,
  options: StackRmOptions,
  progress: ProgressReporter,
): Promise<boolean> {
  const call = { signal: ctx.forceSignal };
  const filter = { label: [namespaceFilter(stack)] };
  const [services, networks, secrets, configs] = await Promise.all([
    swarm.listServices(filter, call),
    swarm.listNetworks(filter, call),
    swarm.listSecrets(filter, call),
    swarm.listConfigs(filter, call),
  ]);
  if (services.length + networks.length + secrets.length + configs.length === 0) {
    ctx.stderr.write(`Nothing found in stack: ${stack}\n`);
    return false;
  }
  let failed = false;
  const attempt = async (resource: string, remove: () => Promise<void>): Promise<boolean> => {
    progress.event(working(resource, 'Removing'));
    if (ctx.options.dryRun) {
      progress.event(done(resource, 'Removed'));
      return true;
    }
    try {
      await remove();
      progress.event(done(resource, 'Removed'));
      return true;
    } catch (error) {
      ctx.stderr.write(`Failed to remove ${resource.toLowerCase()}: ${(error as Error).message}\n`);
      return false;
    }
  };
  const removed: string[] = [];
  for (const service of [...services].sort((a, b) => (a.spec.Name < b.spec.Name ? -1 : 1))) {
    if (await attempt(`Service ${service.spec.Name}`, () => swarm.removeService(service.id, call))) removed.push(service.id);
    else failed = true;
  }
  if (!options.detach && !ctx.options.dryRun && removed.length > 0) {
    await tasksGone(swarm, stack, removed, ctx.forceSignal);
    const kept = services.map((service) => service.id).filter((id) => !removed.includes(id));
    await removeLeftoverContainers(swarm, removeContainer, stack, kept, call);
  }
  for (const secret of secrets) failed = !(await attempt(`Secret ${secret.name}`, () => swarm.removeSecret(secret.id, call))) || failed;
  for (const config of configs) failed = !(await attempt(`Config ${config.name}`, () => swarm.removeConfig(config.id, call))) || failed;
  for (const network of networks) {
    const retryUntil = options.detach ? 0 : Date.now() + NETWORK_RETRY_MS;
    failed = !(await attempt(`Network ${network.name}`, () => retryInUse(() => removeNetwork(network.id, call), retryUntil))) || failed;
  }
  return failed;
}

/**
 * Engine 20.10 never removes the finished tasks of a removed job service, nor their containers:
 * the stopped ones of this node that are labelled with the stack are removed here, except those
 * of a service that could not be removed.
 */
async function removeLeftoverContainers(
  swarm: SwarmEngine,
  removeContainer: (id: string, options: { signal?: AbortSignal; volumes?: boolean }) => Promise<void>,
  stack: string,
  kept: readonly string[],
  call: { signal?: AbortSignal },
): Promise<void> {
  const containers = await swarm.listTaskContainers(stack, call);
  for (const container of containers) {
    if (kept.includes(container.serviceId) || !['exited', 'created', 'dead'].includes(container.state)) continue;
    await removeContainer(container.id, { ...call, volumes: true }).catch(() => undefined);
  }
}

/** A network the engine still sees in use (its tasks' endpoints go a moment after the tasks) is tried again until `until`. */
async function retryInUse(remove: () => Promise<void>, until: number): Promise<void> {
  for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await remove();
    } catch (error) {
      if (Date.now() >= until || !/in use|has active endpoints/i.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
