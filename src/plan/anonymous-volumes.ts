/**
 * Which volumes mounted by a container are its anonymous volumes: the ones `down -v`, `up -V` and
 * a recreate may treat as the container's own (remove them, or carry them over).
 *
 * A 64-hex name is not enough: `docker volume create` without a name makes one too, and a project
 * can mount it as an external volume (reliability P3; Compose 2.3.0 deleted such volumes, #9313).
 * So a mount counts as anonymous only when all of these hold:
 * - it is a volume with the engine's anonymous naming (64 hex digits);
 * - the project does not declare a volume of that name (external, named or otherwise);
 * - what the container was created from does not mount a named volume at that path: the applied
 *   config it records (io.tscompose.applied-config), else the project's definition of its service;
 *   when neither is known, the mount is not claimed (the engine's own `rm -v` still removes the
 *   volumes it created for the container, and skips named ones);
 * - the volume carries no ownership label (a project's, or a volume key): such a volume was made
 *   on purpose by Compose or tscompose, for this project or another one.
 */
import { LABEL } from '../model/labels.js';
import type { Mount, Project } from '../model/types.js';
import { appliedConfigOf, containerService, type ObservedContainer, type ObservedMount, type ObservedState } from './observed.js';

/** Docker names anonymous volumes with 64 hex digits (a necessary sign, not a sufficient one). */
export function hasAnonymousVolumeName(name: string | undefined): name is string {
  return name !== undefined && /^[0-9a-f]{64}$/.test(name);
}

/** A mount path without trailing slashes (`/data/` and `/data` are one mount point). */
export function normalizeMountPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The mounts the container's recorded config declares, or undefined when it records none. */
function recordedMounts(container: ObservedContainer): readonly Pick<Mount, 'type' | 'source' | 'target'>[] | undefined {
  const applied = appliedConfigOf(container.labels);
  if (typeof applied !== 'object' || applied === null) return undefined;
  const volumes = (applied as { volumes?: unknown }).volumes;
  if (volumes === undefined || volumes === null) return [];
  if (!Array.isArray(volumes)) return undefined;
  return volumes.filter(
    (mount): mount is Pick<Mount, 'type' | 'source' | 'target'> =>
      typeof mount === 'object' && mount !== null && typeof (mount as Mount).type === 'string' && typeof (mount as Mount).target === 'string',
  );
}

/** The paths where the container was asked to mount a named volume, or undefined when unknown. */
function namedVolumeTargets(container: ObservedContainer, project: Project | undefined): Set<string> | undefined {
  const serviceName = containerService(container);
  const service = serviceName === undefined ? undefined : (project?.services[serviceName] ?? project?.disabledServices[serviceName]);
  const mounts = recordedMounts(container) ?? (service === undefined ? undefined : (service.volumes ?? []));
  if (mounts === undefined) return undefined;
  return new Set(mounts.filter((mount) => mount.type === 'volume' && mount.source !== undefined).map((mount) => normalizeMountPath(mount.target)));
}

function isOwnedVolume(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels !== undefined && (labels[LABEL.project] !== undefined || labels[LABEL.volume] !== undefined);
}

/** The container's anonymous volume mounts (see the rules above), each with its volume name. */
export function anonymousVolumeMounts(
  container: ObservedContainer,
  observed: Pick<ObservedState, 'volumes'>,
  project: Project | undefined,
): (ObservedMount & { readonly name: string })[] {
  const candidates = container.mounts.filter(
    (mount): mount is ObservedMount & { readonly name: string } => mount.type === 'volume' && hasAnonymousVolumeName(mount.name),
  );
  if (candidates.length === 0) return [];
  const namedTargets = namedVolumeTargets(container, project);
  if (namedTargets === undefined) return [];
  const declaredNames = new Set(Object.values(project?.volumes ?? {}).map((volume) => volume.name));
  const labelsByName = new Map(observed.volumes.map((volume) => [volume.name, volume.labels]));
  return candidates.filter(
    (mount) =>
      !declaredNames.has(mount.name) && !namedTargets.has(normalizeMountPath(mount.destination)) && !isOwnedVolume(labelsByName.get(mount.name)),
  );
}
