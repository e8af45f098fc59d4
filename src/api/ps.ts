/**
 * Listing a project's containers, found by their labels (so it also works with only the project's
 * name, and lists orphans as Compose does): running ones by default, stopped and one-off ones on
 * request, by service and by state; and, for whoever shows them, their health and exit codes,
 * which take one inspect per container.
 */
import type { ContainerStatus, ContainerSummary, Engine } from '../apply/engine.js';
import { limitConcurrency } from '../apply/limit-concurrency.js';
import { EngineError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { UP_STATES } from './service-containers.js';

export interface ContainerQuery {
  /** Stopped and one-off (`run`) containers too. */
  readonly all?: boolean;
  /** Only these services' containers (empty = every service, orphans included). */
  readonly services?: readonly string[];
  /** Only containers in these states (stopped ones included whatever `all` says). */
  readonly statuses?: readonly string[];
  readonly signal?: AbortSignal;
}

/** The project's containers the query selects, by name. */
export async function listContainers(engine: Engine, projectName: string, query: ContainerQuery = {}): Promise<ContainerSummary[]> {
  return selectContainers(await engine.listContainers(projectName, { signal: query.signal }), query);
}

/** Of all the project's containers (the engine's list), those the query selects, by name. */
export function selectContainers(containers: readonly ContainerSummary[], query: ContainerQuery = {}): ContainerSummary[] {
  const services = query.services ?? [];
  const statuses = query.statuses ?? [];
  const all = query.all === true || statuses.length > 0;
  return containers
    .filter((container) => all || UP_STATES.has(container.status))
    // One-off (`run`) containers only with `all`, as Compose lists them.
    .filter((container) => query.all === true || container.labels[LABEL.oneoff] !== 'True')
    .filter((container) => services.length === 0 || services.includes(container.labels[LABEL.service] ?? ''))
    .filter((container) => statuses.length === 0 || statuses.includes(container.status))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What only an inspect tells: the health of a running container, the exit code of a stopped one. */
export interface InspectedState {
  /** `starting`, `healthy`, `unhealthy`; '' without a healthcheck or when not running. */
  readonly health: string;
  /** 0 unless the container exited. */
  readonly exitCode: number;
}

export const CONTAINER_STATES: readonly ContainerStatus[] = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

/** By container id; a container removed meanwhile is left out. */
export async function inspectStates(
  engine: Engine,
  containers: readonly ContainerSummary[],
  options: { readonly parallel?: number; readonly signal?: AbortSignal } = {},
): Promise<Map<string, InspectedState>> {
  const limit = limitConcurrency(options.parallel ?? 8);
  const states = new Map<string, InspectedState>();
  await Promise.all(
    containers.map((container) =>
      limit(async () => {
        const details = await engine.inspectContainer(container.id, { signal: options.signal }).catch((error: unknown) => {
          if (error instanceof EngineError && error.kind === 'not-found') return undefined; // removed meanwhile
          throw error;
        });
        if (!details) return;
        const running = details.state.status === 'running';
        const stopped = details.state.status === 'exited' || details.state.status === 'dead';
        states.set(container.id, {
          health: running && details.state.health ? details.state.health.status : '',
          exitCode: stopped ? details.state.exitCode : 0,
        });
      }),
    ),
  );
  return states;
}
