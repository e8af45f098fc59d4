/**
 * The plan of a stack deploy: the desired stack against what the swarm holds. Pure; every step
 * carries its cause in words, which `stack deploy --dry-run` prints and the progress shows.
 *
 * Rules (docker stack's, except where marked better):
 * - networks are created when missing and never updated (the engine cannot); a difference in
 *   driver or flags is a warning that says how to get it applied (better: docker is silent);
 * - secrets and configs are created when missing; a name the user chose that already holds other
 *   content is a problem before anything changes (docker fails halfway, at the update call);
 * - a service is created, updated only when its normalised spec differs (better: docker updates
 *   every service, which rolls back nothing and overwrites the rollback target), or removed and
 *   created again when its mode changes (which the engine refuses to update);
 * - with `prune`, the stack's services the file no longer has are removed; without, they are kept
 *   and the plan says so;
 * - once the services have converged, secrets and configs of the stack that no service uses any
 *   more (neither its spec nor its rollback target) are removed (better: docker keeps every
 *   version until `stack rm`);
 * - objects of the same name that belong to another stack, or to none, are never touched: they
 *   are problems.
 */
import { STACK_CONTENT_LABEL, STACK_LABEL, serviceNameProblem } from '../../model/stack/names.js';
import type { DesiredFileObject, DesiredNetwork, DesiredService, DesiredStack } from '../../model/stack/desired-stack.js';
import type { ServiceSpec } from '../../model/stack/swarm-types.js';
import { modeName, serviceChanges } from './compare-service.js';
import type { ObservedNetwork, ObservedService, ObservedStack } from './observed-stack.js';

export type { ObservedStack } from './observed-stack.js';

export type StackOp =
  | { readonly type: 'create-network'; readonly network: DesiredNetwork }
  | { readonly type: 'create-file-object'; readonly object: DesiredFileObject }
  | { readonly type: 'create-service'; readonly service: DesiredService }
  | { readonly type: 'update-service'; readonly service: DesiredService; readonly id: string; readonly version: number; readonly changes: readonly string[] }
  | { readonly type: 'recreate-service'; readonly service: DesiredService; readonly id: string; readonly from: string }
  | { readonly type: 'remove-service'; readonly id: string; readonly name: string }
  | { readonly type: 'remove-file-object'; readonly kind: 'secret' | 'config'; readonly id: string; readonly name: string };

export interface StackStep {
  readonly op: StackOp;
  /** `Service s_web`, `Network s_default`, `Secret s_pw-3f2a…`. */
  readonly resource: string;
  /** In words: `environment.MODE changed`, `new content`, `not in the file any more (--prune)`. */
  readonly cause: string;
}

export interface StackPlan {
  /** In order: networks, secrets and configs, services, then what converged services no longer use. */
  readonly steps: readonly StackStep[];
  /** Services left as they are, and why (`unchanged`, `not in the file; --prune removes it`). */
  readonly unchanged: readonly { readonly resource: string; readonly cause: string }[];
  readonly warnings: readonly string[];
  /** Nothing may be changed while there is one. */
  readonly problems: readonly string[];
}

export interface StackPlanOptions {
  readonly prune: boolean;
}

const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(['host', 'bridge', 'none']);

export function planStack(desired: DesiredStack, observed: ObservedStack, options: StackPlanOptions): StackPlan {
  const steps: StackStep[] = [];
  const unchanged: { resource: string; cause: string }[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const stack = desired.stack;
  const ours = (labels: Readonly<Record<string, string>>): boolean => labels[STACK_LABEL.namespace] === stack;

  // Networks
  const networksByName = new Map(observed.networks.map((network) => [network.name, network]));
  for (const network of desired.networks) {
    const existing = networksByName.get(network.name);
    const resource = `Network ${network.name}`;
    if (network.external) {
      if (BUILTIN_NETWORKS.has(network.name)) continue;
      if (!existing) {
        problems.push(
          `network "${network.name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`,
        );
      } else if (existing.scope !== 'swarm') {
        problems.push(`network "${network.name}" is declared as external, but it is not in the right scope: "${existing.scope}" instead of "swarm"`);
      }
      continue;
    }
    if (!existing) {
      steps.push({ op: { type: 'create-network', network }, resource, cause: 'not found' });
    } else if (!ours(existing.labels)) {
      problems.push(`a network named ${network.name} exists and is not part of stack ${stack}: rename the network in the file (name:) or remove the other one`);
    } else {
      const differences = networkDifferences(network, existing);
      if (differences.length > 0) {
        warnings.push(
          `network ${network.name} exists with ${differences.join(', ')}: a swarm cannot change a network, so it is kept; remove the stack (tscompose stack rm ${stack}) and deploy again to apply the file's`,
        );
      }
    }
  }

  // Secrets and configs
  for (const object of [...desired.secrets, ...desired.configs]) {
    const list = object.kind === 'secret' ? observed.secrets : observed.configs;
    const existing = list.find((item) => item.name === object.name);
    const noun = object.kind === 'secret' ? 'Secret' : 'Config';
    const resource = `${noun} ${object.name}`;
    if (object.external) {
      if (!existing) problems.push(`${object.kind} "${object.name}" is declared as external, but could not be found: create it first (docker ${object.kind} create ${object.name} FILE)`);
      continue;
    }
    if (!existing) {
      steps.push({ op: { type: 'create-file-object', object }, resource, cause: 'new content' });
    } else if (!ours(existing.labels)) {
      problems.push(`a ${object.kind} named ${object.name} exists and is not part of stack ${stack}: rename it in the file (name:) or remove the other one`);
    } else if (existing.labels[STACK_CONTENT_LABEL] !== undefined && existing.labels[STACK_CONTENT_LABEL] !== object.digest) {
      problems.push(
        `${object.kind} ${object.name} already exists with other content, and a swarm cannot change a ${object.kind}: change its name: in the file, or leave name: out and tscompose names each content by its digest`,
      );
    } else if (existing.labels[STACK_CONTENT_LABEL] === undefined) {
      warnings.push(`${object.kind} ${object.name} was created by another tool: its content is used as it is (a swarm cannot change it)`);
    }
  }

  // Services
  const networkNames = new Map(observed.networks.map((network) => [network.id, network.name]));
  const desiredNames = new Set(desired.services.map((service) => service.spec.Name));
  for (const service of orderByDependencies(desired.services)) {
    const name = service.spec.Name;
    const resource = `Service ${name}`;
    const nameProblem = serviceNameProblem(name);
    if (nameProblem) {
      problems.push(nameProblem);
      continue;
    }
    const existing = observed.services.find((item) => item.spec.Name === name);
    if (!existing) {
      steps.push({ op: { type: 'create-service', service }, resource, cause: 'not found' });
      continue;
    }
    if (!ours(existing.spec.Labels ?? {})) {
      problems.push(`a service named ${name} exists and is not part of stack ${stack} (a stack name and a service name can combine into the same name)`);
      continue;
    }
    const from = modeName(existing.spec);
    const to = modeName(service.spec);
    if (from !== to) {
      steps.push({
        op: { type: 'recreate-service', service, id: existing.id, from },
        resource,
        cause: `deploy.mode "${from}" -> "${to}" (a swarm cannot change a service's mode: it is removed and created again)`,
      });
      continue;
    }
    const changes = serviceChanges(existing.spec, service.spec, networkNames);
    if (changes.length === 0) {
      unchanged.push({ resource, cause: 'unchanged' });
      continue;
    }
    const replicasUnset = service.spec.Mode && 'Replicated' in service.spec.Mode && service.spec.Mode.Replicated.Replicas === undefined;
    const wording = changes.map((change) => (replicasUnset && change.startsWith('deploy.replicas ') ? `${change} (deploy.replicas is not set in the file)` : change));
    steps.push({
      op: { type: 'update-service', service, id: existing.id, version: existing.version, changes: wording },
      resource,
      cause: wording.join(', '),
    });
  }

  const remaining: ObservedService[] = [];
  for (const existing of observed.services) {
    if (!ours(existing.spec.Labels ?? {}) || desiredNames.has(existing.spec.Name)) {
      if (ours(existing.spec.Labels ?? {})) remaining.push(existing);
      continue;
    }
    const resource = `Service ${existing.spec.Name}`;
    if (options.prune) steps.push({ op: { type: 'remove-service', id: existing.id, name: existing.spec.Name }, resource, cause: 'not in the file any more (--prune)' });
    else {
      unchanged.push({ resource, cause: 'not in the file (--prune removes it)' });
      remaining.push(existing);
    }
  }

  // Secrets and configs no service will use any more (nor roll back to).
  // An update makes the current spec the rollback target: the one before it is then unreachable.
  const updated = new Set(steps.flatMap((step) => (step.op.type === 'update-service' ? [step.op.id] : [])));
  // A service created again has neither its old spec nor a rollback target afterwards.
  const recreated = new Set(steps.flatMap((step) => (step.op.type === 'recreate-service' ? [step.op.id] : [])));
  const used = new Set<string>();
  for (const service of desired.services) for (const name of fileObjectNames(service.spec)) used.add(name);
  for (const service of remaining) {
    if (recreated.has(service.id)) continue;
    for (const name of fileObjectNames(service.spec)) used.add(name);
    if (service.previousSpec && !updated.has(service.id)) for (const name of fileObjectNames(service.previousSpec)) used.add(name);
  }
  for (const [kind, list] of [
    ['secret', observed.secrets],
    ['config', observed.configs],
  ] as const) {
    for (const object of list) {
      if (!ours(object.labels) || used.has(`${kind}:${object.name}`)) continue;
      steps.push({
        op: { type: 'remove-file-object', kind, id: object.id, name: object.name },
        resource: `${kind === 'secret' ? 'Secret' : 'Config'} ${object.name}`,
        cause: 'no service uses it any more (removed once the services converged)',
      });
    }
  }

  return { steps, unchanged, warnings, problems };
}

function networkDifferences(wanted: DesiredNetwork, existing: ObservedNetwork): string[] {
  const out: string[] = [];
  if (existing.driver !== wanted.driver) out.push(`driver ${existing.driver} (the file says ${wanted.driver})`);
  if (existing.attachable !== wanted.attachable) out.push(`attachable: ${existing.attachable}`);
  if (existing.internal !== wanted.internal) out.push(`internal: ${existing.internal}`);
  return out;
}

/** `secret:<name>` and `config:<name>` for every secret and config a spec mounts. */
function fileObjectNames(spec: ServiceSpec): string[] {
  const container = spec.TaskTemplate?.ContainerSpec;
  return [
    ...(container?.Secrets ?? []).map((reference) => `secret:${reference.SecretName ?? ''}`),
    ...(container?.Configs ?? []).map((reference) => `config:${reference.ConfigName ?? ''}`),
  ];
}

/** Dependencies before their dependents (swarm has no start order; this only orders the calls and the output). */
function orderByDependencies(services: readonly DesiredService[]): DesiredService[] {
  const byName = new Map(services.map((service) => [service.name, service]));
  const out: DesiredService[] = [];
  const seen = new Set<string>();
  const visit = (service: DesiredService): void => {
    if (seen.has(service.name)) return;
    seen.add(service.name);
    for (const dependency of service.dependsOn) {
      const other = byName.get(dependency);
      if (other) visit(other);
    }
    out.push(service);
  };
  for (const service of [...services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(service);
  return out;
}

/**
 * The plan in words, for `--dry-run`, as `up --dry-run` words its plan: one line per action with
 * its cause (`update service web (s_web): environment MODE changed`), services kept although the
 * file no longer has them, and `nothing to do` when every service is unchanged.
 */
export function formatStackPlan(plan: StackPlan, stack: string): string {
  const verbs: Record<StackOp['type'], string> = {
    'create-network': 'create',
    'create-file-object': 'create',
    'create-service': 'create',
    'update-service': 'update',
    'recreate-service': 'recreate',
    'remove-service': 'remove',
    'remove-file-object': 'remove',
  };
  const subject = (resource: string): string => {
    const [kind, name] = [resource.slice(0, resource.indexOf(' ')).toLowerCase(), resource.slice(resource.indexOf(' ') + 1)];
    return kind === 'service' && name.startsWith(`${stack}_`) ? `service ${name.slice(stack.length + 1)} (${name})` : `${kind} ${name}`;
  };
  const lines = [
    ...plan.steps.map((step) => `${verbs[step.op.type]} ${subject(step.resource)}: ${step.cause}`),
    ...plan.unchanged.filter((entry) => entry.cause !== 'unchanged').map((entry) => `keep ${subject(entry.resource)}: ${entry.cause}`),
  ];
  return lines.length === 0 ? 'nothing to do' : lines.join('\n');
}
