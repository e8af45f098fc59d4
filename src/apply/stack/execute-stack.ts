/**
 * Carries out a stack plan: pruned services first (as docker stack does), then networks, secrets
 * and configs, then services in dependency order. The engine calls are the plan's, one each; the
 * secrets and configs a service mounts are named in the plan and get their IDs here, once they
 * exist. Removing what converged services no longer use is left to the caller (after the wait).
 */
import type { DesiredNetwork } from '../../model/stack/desired-stack.js';
import { abortableSleep } from '../abort-signals.js';
import { namespaceFilter } from '../../model/stack/names.js';
import type { FileObjectReference, ServiceSpec } from '../../model/stack/swarm-types.js';
import type { StackPlan, StackStep } from '../../plan/stack/stack-plan.js';
import type { CallOptions, Engine, NetworkSpec } from '../engine.js';
import { done, working, type ProgressReporter } from '../progress.js';
import type { SwarmEngine } from '../swarm-engine.js';

/** A service the deploy created or changed: what the wait watches. */
export interface TouchedService {
  readonly id: string;
  readonly name: string;
  readonly kind: 'create' | 'update';
  readonly spec: ServiceSpec;
}

export interface ExecuteStackOptions extends CallOptions {
  readonly progress: ProgressReporter;
  readonly warn: (message: string) => void;
  readonly registryAuth?: (image: string) => string | undefined;
  /** Secrets and configs as observed before the deploy (their IDs). */
  readonly secrets: readonly { readonly id: string; readonly name: string }[];
  readonly configs: readonly { readonly id: string; readonly name: string }[];
}

/** How long a recreate waits for the old service's tasks to be gone before it creates the new one. */
const REMOVAL_TIMEOUT_MS = 120_000;

export async function executeStack(engine: Engine, swarm: SwarmEngine, stack: string, plan: StackPlan, options: ExecuteStackOptions): Promise<TouchedService[]> {
  const { progress } = options;
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const ids = {
    secret: new Map(options.secrets.map((secret) => [secret.name, secret.id])),
    config: new Map(options.configs.map((config) => [config.name, config.id])),
  };
  const touched: TouchedService[] = [];
  const ofType = <T extends StackStep['op']['type']>(type: T): (StackStep & { op: Extract<StackStep['op'], { type: T }> })[] =>
    plan.steps.filter((step): step is StackStep & { op: Extract<StackStep['op'], { type: T }> } => step.op.type === type);

  for (const step of ofType('remove-service')) {
    progress.event(working(step.resource, 'Removing', step.cause));
    await swarm.removeService(step.op.id, call);
    progress.event(done(step.resource, 'Removed'));
  }
  for (const step of ofType('create-network')) {
    progress.event(working(step.resource, 'Creating'));
    await engine.createNetwork(networkSpec(step.op.network), call);
    progress.event(done(step.resource, 'Created'));
  }
  for (const step of ofType('create-file-object')) {
    const { object } = step.op;
    progress.event(working(step.resource, 'Creating'));
    const create = object.kind === 'secret' ? swarm.createSecret.bind(swarm) : swarm.createConfig.bind(swarm);
    ids[object.kind].set(object.name, await create(object.spec!, call));
    progress.event(done(step.resource, 'Created'));
  }

  const withIds = (spec: ServiceSpec): ServiceSpec => {
    const container = spec.TaskTemplate.ContainerSpec;
    const fill = (references: readonly FileObjectReference[] | undefined, kind: 'secret' | 'config'): FileObjectReference[] | undefined =>
      references?.map((reference) => {
        const name = kind === 'secret' ? reference.SecretName : reference.ConfigName;
        const id = ids[kind].get(name ?? '');
        return kind === 'secret' ? { ...reference, SecretID: id } : { ...reference, ConfigID: id };
      });
    return {
      ...spec,
      TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: { ...container, Secrets: fill(container.Secrets, 'secret'), Configs: fill(container.Configs, 'config') } },
    };
  };
  const auth = (spec: ServiceSpec): { registryAuth?: string } => {
    const value = options.registryAuth?.(spec.TaskTemplate.ContainerSpec.Image);
    return value ? { registryAuth: value } : {};
  };

  for (const step of plan.steps) {
    const { op } = step;
    if (op.type !== 'create-service' && op.type !== 'update-service' && op.type !== 'recreate-service') continue;
    const spec = withIds(op.service.spec);
    if (op.type === 'update-service') {
      progress.event(working(step.resource, 'Updating', step.cause));
      const result = await swarm.updateService(op.id, op.version, spec, { ...call, ...auth(spec) });
      for (const warning of result.warnings) options.warn(`${spec.Name}: ${warning}`);
      touched.push({ id: op.id, name: spec.Name, kind: 'update', spec });
      progress.event({ ...done(step.resource, 'Updated'), final: false });
      continue;
    }
    if (op.type === 'recreate-service') {
      progress.event(working(step.resource, 'Removing', step.cause));
      await swarm.removeService(op.id, call);
      await tasksGone(swarm, stack, [op.id], options.signal);
    }
    progress.event(working(step.resource, 'Creating'));
    const result = await swarm.createService(spec, { ...call, ...auth(spec) });
    for (const warning of result.warnings) options.warn(`${spec.Name}: ${warning}`);
    touched.push({ id: result.id, name: spec.Name, kind: 'create', spec });
    progress.event({ ...done(step.resource, 'Created'), final: false });
  }
  return touched;
}

/** Removes what no service uses any more; a failure (still in use by a task) is only a warning. */
export async function removeUnused(swarm: SwarmEngine, plan: StackPlan, options: CallOptions & { progress: ProgressReporter; warn: (message: string) => void }): Promise<void> {
  for (const step of plan.steps) {
    const { op } = step;
    if (op.type !== 'remove-file-object') continue;
    options.progress.event(working(step.resource, 'Removing', step.cause));
    try {
      await (op.kind === 'secret' ? swarm.removeSecret(op.id, options) : swarm.removeConfig(op.id, options));
      options.progress.event(done(step.resource, 'Removed'));
    } catch (error) {
      options.warn(`${op.kind} ${op.name} was kept: ${(error as Error).message}`);
      options.progress.event(done(step.resource, 'Kept'));
    }
  }
}

function networkSpec(network: DesiredNetwork): NetworkSpec {
  const ipam = network.ipam;
  return {
    name: network.name,
    driver: network.driver,
    ...(network.driverOpts ? { driverOpts: network.driverOpts } : {}),
    ...(ipam
      ? {
          ipam: {
            ...(ipam.driver ? { driver: ipam.driver } : {}),
            ...(ipam.options ? { options: ipam.options } : {}),
            ...(ipam.config
              ? {
                  config: ipam.config.map((pool) => ({
                    ...(pool.subnet ? { subnet: pool.subnet } : {}),
                    ...(pool.ip_range ? { ipRange: pool.ip_range } : {}),
                    ...(pool.gateway ? { gateway: pool.gateway } : {}),
                    ...(pool.aux_addresses ? { auxAddresses: pool.aux_addresses } : {}),
                  })),
                }
              : {}),
          },
        }
      : {}),
    internal: network.internal,
    attachable: network.attachable,
    ...(network.enableIpv6 === undefined ? {} : { enableIpv6: network.enableIpv6 }),
    labels: network.labels,
  };
}

/** Task states in which no container runs. */
const TERMINAL_STATES: ReadonlySet<string> = new Set(['complete', 'failed', 'shutdown', 'rejected', 'orphaned', 'remove']);

/**
 * Waits, with backoff, until removed services have no task left that runs (their containers have
 * stopped, and with them their hold on networks and host ports). Tasks are found by the stack's
 * label, which they keep after their service is deleted; finished tasks may stay listed (Engine
 * 20.10 keeps a removed job's completed tasks), so only running ones count. False when the
 * deadline passed first.
 */
export async function tasksGone(
  swarm: SwarmEngine,
  stack: string,
  serviceIds: readonly string[],
  signal: AbortSignal | undefined,
  timeoutMs = REMOVAL_TIMEOUT_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const ids = new Set(serviceIds);
  let delay = 100;
  for (;;) {
    const tasks = await swarm.listTasks({ label: [namespaceFilter(stack)] }, signal ? { signal } : {});
    if (!tasks.some((task) => ids.has(task.serviceId) && !TERMINAL_STATES.has(task.state))) return true;
    if (Date.now() >= deadline || signal?.aborted) return false;
    await abortableSleep(delay, signal);
    delay = Math.min(delay * 2, 1000);
  }
}
