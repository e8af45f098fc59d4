/**
 * observe(engine, project) -> ObservedState: the snapshot the planner compares the project with
 * (plan/observed.ts says what it must hold and why). The cost is fixed by the project's
 * declarations, never by how many containers exist: one label-filtered list call per kind, plus one
 * inspect per declared network or volume name the label filter cannot see (a same-name resource the
 * project does not own must be seen to be refused), one per distinct image reference, and one per
 * unlabelled volume with an anonymous-looking name that the project's containers mount (its labels
 * decide whether `down -v` or `-V` may treat it as anonymous: plan/anonymous-volumes.ts).
 */
import { isProjectContainer } from '../model/labels.js';
import type { Project } from '../model/types.js';
import { hasAnonymousVolumeName } from '../plan/anonymous-volumes.js';
import { serviceImageReference } from '../plan/names.js';
import type {
  ContainerState,
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
} from '../plan/observed.js';
import { projectNetwork } from '../plan/service-needs.js';
import type { CallOptions, ContainerSummary, Engine } from './engine.js';

/** What to observe: a loaded project, or only a name (`down -p x` without a file). */
export type ObservationTarget = Project | { readonly name: string };

function isProject(target: ObservationTarget): target is Project {
  return 'services' in target;
}

export function toObservedContainer(summary: ContainerSummary): ObservedContainer {
  return {
    id: summary.id,
    name: summary.name,
    labels: summary.labels,
    state: summary.status as ContainerState,
    imageId: summary.imageId,
    created: summary.created,
    mounts: summary.mounts.map((mount) => ({
      type: mount.type,
      ...(mount.name === undefined ? {} : { name: mount.name }),
      ...(mount.type === 'bind' ? { source: mount.source } : {}),
      destination: mount.destination,
    })),
    networks: summary.networks,
    ...(summary.networkMode === '' ? {} : { networkMode: summary.networkMode }),
    ...(summary.statusText ? { statusText: summary.statusText } : {}),
  };
}

/** The engine names of the networks and volumes the project declares (external ones included). */
function declaredNames(project: Project): { networks: string[]; volumes: string[] } {
  const networkKeys = new Set(Object.keys(project.networks));
  // `default` exists for every project even when the file does not declare it.
  if (Object.values(project.services).some((service) => service.network_mode === undefined)) networkKeys.add('default');
  const networks = [...networkKeys].map((key) => projectNetwork(project, key)?.name).filter((name): name is string => name !== undefined);
  const volumes = Object.values(project.volumes).map((volume) => volume.name);
  return { networks: [...new Set(networks)].sort(), volumes: [...new Set(volumes)].sort() };
}

/** Every image reference the services run, each once. */
export function imageReferences(project: Project): string[] {
  const references = Object.values(project.services).map((service) => serviceImageReference(project.name, service));
  return [...new Set(references)].sort();
}

/**
 * `knownImages`: images by reference that the caller inspected a moment ago (up's image step), so
 * that a no-op up does not ask the engine for them twice; other references are inspected. It may
 * be a promise (the image step still running): the lists go out meanwhile.
 */
export async function observe(
  engine: Engine,
  target: ObservationTarget,
  options: CallOptions = {},
  knownImages: Readonly<Record<string, ObservedImage>> | Promise<Readonly<Record<string, ObservedImage>>> = {},
): Promise<ObservedState> {
  const [containers, labelledNetworks, labelledVolumes] = await Promise.all([
    engine.listContainers(target.name, options),
    engine.listNetworks(target.name, options),
    engine.listVolumes(target.name, options),
  ]);
  // The engine filtered on the label already; the exact match is checked again so a lookalike
  // project can never leak in (reliability P6).
  const ownContainers = containers.filter((container) => isProjectContainer(container.labels, target.name)).map(toObservedContainer);
  const networks: ObservedNetwork[] = labelledNetworks.map((network) => ({ id: network.id, name: network.name, labels: network.labels }));
  const volumes: ObservedVolume[] = labelledVolumes.map((volume) => ({ name: volume.name, labels: volume.labels }));
  const images: Record<string, ObservedImage> = {};
  const knownVolumes = new Set(volumes.map((volume) => volume.name));
  const declared = isProject(target) ? declaredNames(target) : { networks: [], volumes: [] };
  const volumesToInspect = new Set(declared.volumes.filter((name) => !knownVolumes.has(name)));
  for (const container of ownContainers) {
    for (const mount of container.mounts) {
      if (mount.type === 'volume' && hasAnonymousVolumeName(mount.name) && !knownVolumes.has(mount.name)) volumesToInspect.add(mount.name);
    }
  }
  const knownNetworks = new Set(networks.map((network) => network.name));
  const references = isProject(target) ? imageReferences(target) : [];
  const [extraNetworks, extraVolumes, imageList] = await Promise.all([
    Promise.all(declared.networks.filter((name) => !knownNetworks.has(name)).map((name) => engine.inspectNetwork(name, options))),
    Promise.all([...volumesToInspect].sort().map((name) => engine.inspectVolume(name, options))),
    Promise.resolve(knownImages).then((known) =>
      Promise.all(references.map((reference) => (Object.hasOwn(known, reference) ? known[reference] : engine.inspectImage(reference, options)))),
    ),
  ]);
  for (const network of extraNetworks) {
    if (network) networks.push({ id: network.id, name: network.name, labels: network.labels });
  }
  for (const volume of extraVolumes) {
    if (volume) volumes.push({ name: volume.name, labels: volume.labels });
  }
  references.forEach((reference, index) => {
    const image = imageList[index];
    if (image) images[reference] = { id: image.id, volumes: image.volumes };
  });

  return { containers: ownContainers, networks, volumes, images };
}
