/**
 * The networks and volumes an `up` needs: created when missing; external ones only checked; a
 * same-name network the project does not own is refused, a same-name volume reused with a
 * warning, as Compose does (reliability P2-P4). A changed definition is reported: networks and
 * volumes are never recreated behind the user's back (P18). A volume of the project whose
 * definition changed is recreated only when the user confirmed it (`up -y`, or yes at the
 * prompt): the caller gets its key back and removes what mounts it first (reconcile.ts).
 */
import { sealedAppliedConfig, type SealKey } from '../model/applied-config.js';
import { LABEL, networkLabels, volumeLabels, type AppliedConfigRecord } from '../model/labels.js';
import { canonicalNetworkConfig, canonicalVolumeConfig, formatChangedPaths, type CanonicalValue } from '../model/hash.js';
import type { Project, Service } from '../model/types.js';
import { resourceId } from './names.js';
import { changesSinceApplied, type ObservedState } from './observed.js';
import type { PlanBuilder } from './plan.js';
import { projectNetwork, serviceNetworkKeys, serviceVolumeKeys } from './service-needs.js';

export interface NetworksAndVolumes {
  /** Network key -> its create node (only for networks that must be created). */
  readonly networkNodes: ReadonlyMap<string, number>;
  /** Volume key -> its create node. */
  readonly volumeNodes: ReadonlyMap<string, number>;
  /** What forbids the plan (missing external resources, foreign networks); empty when fine. */
  readonly problems: readonly string[];
  /** Keys of the project's volumes whose changed definition the user confirmed recreating. */
  readonly volumesToRecreate: readonly string[];
}

/** A volume of the project whose definition in the file changed since it was created. */
export interface DivergedVolume {
  readonly key: string;
  readonly name: string;
  /** The changed fields, in words: `labels, driver_opts.o`. */
  readonly changes: string;
}

/** What the labels of a created network or volume need besides the project. */
export interface ResourceLabelInput {
  readonly toolVersion: string;
  readonly sealKey: SealKey;
  /** Keys of the volumes whose changed definition the user confirmed recreating (data lost). */
  readonly recreateVolumes?: ReadonlySet<string>;
}

/** A create-volume node for the project's volume `key`, labelled with the project and its sealed definition. */
export function addCreateVolume(builder: PlanBuilder, project: Project, key: string, input: ResourceLabelInput, cause: string, after: readonly number[] = []): number {
  const volume = project.volumes[key];
  const labels = volumeLabels(project, key, volume, input.toolVersion, resourceRecord(canonicalVolumeConfig(volume), input));
  return builder.add({ type: 'create-volume', key, name: volume.name, volume, labels }, resourceId.volume(key), cause, after);
}

/** The fields of the project's own volume that differ from the file; undefined when it is not the project's or records nothing. */
function volumeChanges(project: Project, key: string, labels: Readonly<Record<string, string>>, sealKey: SealKey): string | undefined {
  if (labels[LABEL.project] !== project.name) return undefined;
  const changes = changesSinceApplied('resource', labels, canonicalVolumeConfig(project.volumes[key]), sealKey);
  return changes === undefined || changes.paths.length === 0 ? undefined : formatChangedPaths(changes.paths);
}

/** The project's volumes used by `services` whose definition changed: what `up` asks about (P18). */
export function divergedVolumes(project: Project, observed: ObservedState, services: readonly Service[], sealKey: SealKey): DivergedVolume[] {
  const keys = [...new Set(services.flatMap((service) => serviceVolumeKeys(service, project)))].sort();
  const diverged: DivergedVolume[] = [];
  for (const key of keys) {
    const volume = project.volumes[key];
    const found = volume.external ? undefined : observed.volumes.find((candidate) => candidate.name === volume.name);
    const changes = found === undefined ? undefined : volumeChanges(project, key, found.labels, sealKey);
    if (changes !== undefined) diverged.push({ key, name: volume.name, changes });
  }
  return diverged;
}

function resourceRecord(canonical: CanonicalValue, input: ResourceLabelInput): AppliedConfigRecord {
  return { text: sealedAppliedConfig('resource', canonical, input.sealKey), keyId: input.sealKey.id };
}

/** Networks and volumes are never recreated on their own: a changed definition is reported. */
function warnDivergence(
  builder: PlanBuilder,
  kind: 'network' | 'volume',
  name: string,
  labels: Readonly<Record<string, string>>,
  desired: CanonicalValue,
  sealKey: SealKey,
  advice: string,
): void {
  const changes = changesSinceApplied('resource', labels, desired, sealKey);
  if (changes === undefined || changes.paths.length === 0) return;
  builder.warn(`${kind} "${name}" differs from the compose file (${formatChangedPaths(changes.paths)}); ${advice}`);
}

function planNetworks(
  builder: PlanBuilder,
  project: Project,
  observed: ObservedState,
  services: readonly Service[],
  input: ResourceLabelInput,
  problems: string[],
): Map<string, number> {
  const nodes = new Map<string, number>();
  const keys = [...new Set(services.flatMap(serviceNetworkKeys))].sort();
  for (const key of keys) {
    const network = projectNetwork(project, key);
    if (network === undefined) {
      problems.push(`network "${key}" is used by a service but not declared under the top-level networks`);
      continue;
    }
    const found = observed.networks.filter((candidate) => candidate.name === network.name);
    if (network.external) {
      if (found.length === 0) problems.push(`network ${network.name} declared as external, but could not be found`);
      continue;
    }
    if (found.length === 0) {
      const labels = networkLabels(project, key, network, input.toolVersion, resourceRecord(canonicalNetworkConfig(network), input));
      nodes.set(key, builder.add({ type: 'create-network', key, name: network.name, network, labels }, resourceId.network(key), 'not found'));
      continue;
    }
    const existing =
      found.find((candidate) => candidate.labels[LABEL.project] === project.name && candidate.labels[LABEL.network] === key) ?? found[0];
    const keyLabel = existing.labels[LABEL.network];
    if (keyLabel !== key) {
      problems.push(
        keyLabel === undefined
          ? `network "${network.name}" already exists but was not created by tscompose or Docker Compose. ` +
              'Set "external: true" to use an existing network, or remove it.'
          : `network "${network.name}" already exists with label ${LABEL.network}="${keyLabel}" (expected "${key}"). ` +
              'Set "external: true" to use an existing network, or remove it.',
      );
      continue;
    }
    if (existing.labels[LABEL.project] !== project.name) {
      // Two projects sharing a network through `name:`: Compose reuses it with this warning.
      builder.warn(
        `a network with name ${network.name} exists but was not created for project "${project.name}". ` +
          'Set "external: true" to use an existing network.',
      );
    }
    warnDivergence(builder, 'network', network.name, existing.labels, canonicalNetworkConfig(network), input.sealKey, 'run "down" then "up" to recreate it');
  }
  return nodes;
}

function planVolumes(
  builder: PlanBuilder,
  project: Project,
  observed: ObservedState,
  services: readonly Service[],
  input: ResourceLabelInput,
  problems: string[],
  recreate: string[],
): Map<string, number> {
  const nodes = new Map<string, number>();
  const keys = [...new Set(services.flatMap((service) => serviceVolumeKeys(service, project)))].sort();
  for (const key of keys) {
    const volume = project.volumes[key];
    const found = observed.volumes.find((candidate) => candidate.name === volume.name);
    if (volume.external) {
      if (found === undefined) problems.push(`external volume "${volume.name}" not found`);
      continue;
    }
    if (found === undefined) {
      nodes.set(key, addCreateVolume(builder, project, key, input, 'not found'));
      continue;
    }
    // Compose reuses a same-name volume it did not create, with a warning; tscompose does the
    // same and never removes it (down -v checks the label, reliability P2).
    const owner = found.labels[LABEL.project];
    if (owner === undefined) {
      builder.warn(
        `volume "${volume.name}" already exists but was not created by tscompose or Docker Compose. ` +
          'Use "external: true" to use an existing volume.',
      );
    } else if (owner !== project.name) {
      builder.warn(
        `volume "${volume.name}" already exists but was created for project "${owner}" (expected "${project.name}"). ` +
          'Use "external: true" to use an existing volume.',
      );
    } else {
      const changes = volumeChanges(project, key, found.labels, input.sealKey);
      if (changes === undefined) continue;
      if (input.recreateVolumes?.has(key)) recreate.push(key);
      else {
        builder.warn(
          `volume "${volume.name}" differs from the compose file (${changes}); it is kept as it is, with its data. ` +
            'Run "up -y" to recreate it (its data will be lost)',
        );
      }
    }
  }
  return nodes;
}

/** Plans the networks, then the volumes, that `services` use. Adds nodes and warnings to `builder`. */
export function planNetworksAndVolumes(
  builder: PlanBuilder,
  project: Project,
  observed: ObservedState,
  services: readonly Service[],
  input: ResourceLabelInput,
): NetworksAndVolumes {
  const problems: string[] = [];
  const networkNodes = planNetworks(builder, project, observed, services, input, problems);
  const volumesToRecreate: string[] = [];
  const volumeNodes = planVolumes(builder, project, observed, services, input, problems, volumesToRecreate);
  return { networkNodes, volumeNodes, problems, volumesToRecreate };
}
