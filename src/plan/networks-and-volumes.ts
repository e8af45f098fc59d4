/**
 * The networks and volumes an `up` needs: created when missing; external ones only checked; a
 * same-name network the project does not own is refused, a same-name volume reused with a
 * warning, as Compose does (reliability P2-P4). A changed definition is only reported: networks
 * and volumes are never recreated behind the user's back (P18).
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
}

/** What the labels of a created network or volume need besides the project. */
export interface ResourceLabelInput {
  readonly toolVersion: string;
  readonly sealKey: SealKey;
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
      const labels = volumeLabels(project, key, volume, input.toolVersion, resourceRecord(canonicalVolumeConfig(volume), input));
      nodes.set(key, builder.add({ type: 'create-volume', key, name: volume.name, volume, labels }, resourceId.volume(key), 'not found'));
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
      warnDivergence(
        builder,
        'volume',
        volume.name,
        found.labels,
        canonicalVolumeConfig(volume),
        input.sealKey,
        'it is kept as it is because recreating it would lose its data; remove it yourself to apply the change',
      );
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
  const volumeNodes = planVolumes(builder, project, observed, services, input, problems);
  return { networkNodes, volumeNodes, problems };
}
