/**
 * The containers a command acts on, found by their labels as Compose finds them: `exec`, `port`,
 * `cp`, `attach` pick one container of a service (`--index`, else the lowest replica number, one-off
 * containers last); `kill`, `pause`, `top`, ... take every container of the named services.
 */
import type { CallOptions, ContainerStatus, ContainerSummary, Engine } from '../apply/engine.js';
import { UsageError } from '../errors.js';
import { LABEL } from '../model/labels.js';

/** What the engine lists without `all`: containers that are up. */
export const UP_STATES: ReadonlySet<ContainerStatus> = new Set(['running', 'paused', 'restarting']);

export function serviceOf(container: ContainerSummary): string {
  return container.labels[LABEL.service] ?? '';
}

export function isOneOffContainer(container: ContainerSummary): boolean {
  return container.labels[LABEL.oneoff] === 'True';
}

function replicaNumber(container: ContainerSummary): number {
  const value = Number(container.labels[LABEL.containerNumber]);
  return Number.isInteger(value) ? value : 0;
}

/** Replica order: by number, one-off containers after the service's own. */
export function byReplica(a: ContainerSummary, b: ContainerSummary): number {
  const oneOff = Number(isOneOffContainer(a)) - Number(isOneOffContainer(b));
  if (oneOff !== 0) return oneOff;
  return replicaNumber(a) - replicaNumber(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export interface PickOptions {
  /** `--index`: this replica; absent or 0 = the first. */
  readonly index?: number;
  /** Stopped containers count too (`cp`); by default only running, paused and restarting ones. */
  readonly stopped?: boolean;
}

/** The one container of `service` a command acts on, with Compose's messages when there is none. */
export async function pickServiceContainer(
  call: CallOptions,
  engine: Engine,
  projectName: string,
  service: string,
  options: PickOptions = {},
): Promise<ContainerSummary> {
  const index = options.index ?? 0;
  if (index < 0) throw new UsageError(`invalid --index ${index}: replicas are numbered from 1`);
  const candidates = (await engine.listContainers(projectName, { signal: call.signal }))
    .filter((container) => serviceOf(container) === service)
    .filter((container) => options.stopped === true || UP_STATES.has(container.status))
    .filter((container) => index === 0 || replicaNumber(container) === index)
    .sort(byReplica);
  const first = candidates[0];
  if (first !== undefined) return first;
  if (index > 0) throw new UsageError(`service "${service}" is not running container #${index}`);
  throw new UsageError(`service "${service}" is not running`);
}

/** Every container of the project (one-off ones too), optionally of some services only, in replica order. */
export async function projectContainersOf(
  call: CallOptions,
  engine: Engine,
  projectName: string,
  services: readonly string[],
): Promise<ContainerSummary[]> {
  return (await engine.listContainers(projectName, { signal: call.signal }))
    .filter((container) => services.length === 0 || services.includes(serviceOf(container)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
