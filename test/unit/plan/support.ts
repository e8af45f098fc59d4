/**
 * Builders for planner tests: a Project written by hand, and an ObservedState standing in for the
 * engine (the planner never calls one). Containers built from a service carry the labels tscompose
 * would have written for it, so "unchanged" is the default and a test changes only what it means.
 */
import { createHash } from 'node:crypto';
import { containerLabels, LABEL, networkLabels, volumeLabels } from '../../../src/model/labels.js';
import { sealedAppliedConfig, sealKeyFromSecret } from '../../../src/model/applied-config.js';
import { composeConfigHash } from '../../../src/model/compose-hash.js';
import { canonicalServiceConfig } from '../../../src/model/hash.js';
import type { Network, Project, Service, Volume } from '../../../src/model/types.js';
import type {
  ContainerState,
  ObservedContainer,
  ObservedMount,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
} from '../../../src/plan/observed.js';

export const TOOL_VERSION = '0.0.0-test';

/** The key planner tests seal recorded values with (any fixed key will do). */
export const SEAL_KEY = sealKeyFromSecret('5e'.repeat(32));

type ServiceInput = Omit<Service, 'name'> & { readonly name?: string };

export function makeProject(
  name: string,
  services: Record<string, ServiceInput>,
  extra: Partial<Omit<Project, 'services' | 'disabledServices'>> & {
    disabledServices?: Record<string, ServiceInput>;
  } = {},
): Project {
  const named = (input: Record<string, ServiceInput>): Record<string, Service> =>
    Object.fromEntries(Object.entries(input).map(([key, service]) => [key, { image: 'busybox', ...service, name: key }]));
  return {
    name,
    workingDir: '/srv/app',
    configFiles: ['/srv/app/compose.yaml'],
    envFiles: [],
    envFilesRequested: false,
    secrets: {},
    configs: {},
    extensions: {},
    ...extra,
    networks: { default: { name: `${name}_default` }, ...(extra.networks ?? {}) },
    volumes: extra.volumes ?? {},
    services: named(services),
    disabledServices: named(extra.disabledServices ?? {}),
  };
}

/** A deterministic 64-hex container ID derived from a seed. */
export function idFor(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export interface ContainerInput {
  readonly number?: number;
  readonly state?: ContainerState;
  readonly name?: string;
  readonly id?: string;
  readonly imageId?: string;
  readonly created?: number;
  readonly mounts?: readonly ObservedMount[];
  readonly networks?: readonly string[];
  readonly networkMode?: string;
  /** Labels replacing (or, with undefined, removing) some of the computed ones. */
  readonly labels?: Readonly<Record<string, string | undefined>>;
  readonly oneoff?: boolean;
  /** The engine's words for the state (`Exited (0) 3 minutes ago`). */
  readonly statusText?: string;
}

/**
 * A container as tscompose would have created it for `service` of `project` (same hash, same
 * applied config, attached to the service's networks). Pass an older version of the service to
 * get a container whose config has since changed.
 */
export function containerOf(project: Project, service: Service, input: ContainerInput = {}): ObservedContainer {
  const number = input.number ?? 1;
  const name = input.name ?? service.container_name ?? `${project.name}-${service.name}-${number}`;
  const labels: Record<string, string> = containerLabels({
    project,
    service,
    number,
    configHash: composeConfigHash(service, project, { containerOf: () => undefined }),
    appliedConfig: { text: sealedAppliedConfig('service', canonicalServiceConfig(service, project), SEAL_KEY), keyId: SEAL_KEY.id },
    toolVersion: TOOL_VERSION,
    imageId: input.imageId ?? 'sha256:image',
    oneoff: input.oneoff,
  });
  for (const [key, value] of Object.entries(input.labels ?? {})) {
    if (value === undefined) delete labels[key];
    else labels[key] = value;
  }
  const networkKeys = service.network_mode !== undefined ? [] : Object.keys(service.networks ?? { default: null });
  return {
    id: input.id ?? idFor(name),
    name,
    labels,
    state: input.state ?? 'running',
    imageId: input.imageId ?? 'sha256:image',
    created: input.created ?? 1_700_000_000,
    mounts: input.mounts ?? [],
    networks: input.networks ?? networkKeys.map((key) => project.networks[key]?.name ?? `${project.name}_${key}`),
    ...(input.networkMode === undefined ? {} : { networkMode: input.networkMode }),
    ...(input.statusText === undefined ? {} : { statusText: input.statusText }),
  };
}

/** containerOf for the project's current definition of `serviceName`. */
export function container(project: Project, serviceName: string, input: ContainerInput = {}): ObservedContainer {
  const service = project.services[serviceName] ?? project.disabledServices[serviceName];
  if (service === undefined) throw new Error(`test setup: no service ${serviceName}`);
  return containerOf(project, service, input);
}

/** A network as the project would have created it. */
export function ownNetwork(project: Project, key: string): ObservedNetwork {
  const network: Network = project.networks[key] ?? { name: `${project.name}_${key}` };
  return { id: idFor(`network:${network.name}`), name: network.name, labels: networkLabels(project, key, network, TOOL_VERSION) };
}

export function foreignNetwork(name: string, labels: Record<string, string> = {}): ObservedNetwork {
  return { id: idFor(`network:${name}`), name, labels };
}

/** A volume as the project would have created it. */
export function ownVolume(project: Project, key: string): ObservedVolume {
  const volume: Volume = project.volumes[key];
  return { name: volume.name, labels: volumeLabels(project, key, volume, TOOL_VERSION) };
}

export function foreignVolume(name: string, labels: Record<string, string> = {}): ObservedVolume {
  return { name, labels };
}

export function anonymousMount(destination: string, seed = destination): ObservedMount {
  return { type: 'volume', name: idFor(`volume:${seed}`), destination };
}

/**
 * A project whose `app` service mounts an external volume with a 64-hex name (what a bare
 * `docker volume create` makes) at /ext, and an anonymous volume at /anon; `hexMounts` are the
 * mounts its container has.
 */
export function externalHexVolumeProject(): { project: Project; hexName: string; hexMounts: ObservedMount[] } {
  const hexName = idFor('volume:created-by-hand');
  const project = makeProject(
    'p',
    { app: { volumes: [{ type: 'volume', source: 'ext', target: '/ext' }, { type: 'volume', target: '/anon' }] } },
    { volumes: { ext: { name: hexName, external: true } } },
  );
  return { project, hexName, hexMounts: [{ type: 'volume', name: hexName, destination: '/ext' }, anonymousMount('/anon')] };
}

export function observe(state: Partial<ObservedState> = {}): ObservedState {
  return { containers: [], networks: [], volumes: [], images: {}, ...state };
}

/** Every network the project declares, as created by an earlier run. */
export function ownNetworks(project: Project): ObservedNetwork[] {
  return Object.keys(project.networks)
    .filter((key) => !project.networks[key].external)
    .map((key) => ownNetwork(project, key));
}

/** The expected printed plan, one argument per line. */
export function text(...lines: string[]): string {
  return lines.join('\n');
}

export { LABEL };
