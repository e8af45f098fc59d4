/**
 * Observes what the swarm holds for a stack, in a handful of list calls: the stack's services
 * (by label) and any other service with a name the stack wants (to refuse a collision), every
 * swarm-scoped network, every secret and config (their metadata only), plus the local networks
 * the file names as external (to say "wrong scope" rather than "not found").
 */
import { namespaceFilter } from '../../model/stack/names.js';
import type { DesiredStack } from '../../model/stack/desired-stack.js';
import type { ObservedNetwork, ObservedStack } from '../../plan/stack/observed-stack.js';
import type { CallOptions, Engine } from '../engine.js';
import type { ServiceInfo, SwarmEngine } from '../swarm-engine.js';

export interface ObservedSwarmStack extends ObservedStack {
  readonly services: readonly ServiceInfo[];
}

export async function observeStack(engine: Engine, swarm: SwarmEngine, desired: DesiredStack, options: CallOptions = {}): Promise<ObservedSwarmStack> {
  const names = desired.services.map((service) => service.spec.Name);
  const [labelled, named, networks, secrets, configs] = await Promise.all([
    swarm.listServices({ label: [namespaceFilter(desired.stack)] }, options),
    names.length > 0 ? swarm.listServices({ name: names }, options) : Promise.resolve([]),
    swarm.listNetworks({}, options),
    swarm.listSecrets({}, options),
    swarm.listConfigs({}, options),
  ]);
  const services = [...labelled];
  for (const service of named) {
    // The engine's name filter matches prefixes: only exact names count.
    if (names.includes(service.spec.Name) && !services.some((known) => known.id === service.id)) services.push(service);
  }
  const allNetworks: ObservedNetwork[] = [...networks];
  const missingExternals = desired.networks.filter((network) => network.external && !networks.some((known) => known.name === network.name));
  for (const network of missingExternals) {
    const local = await engine.inspectNetwork(network.name, options);
    if (local) allNetworks.push(local);
  }
  return { services, networks: allNetworks, secrets, configs };
}
