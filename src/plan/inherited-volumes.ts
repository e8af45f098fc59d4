/**
 * Which anonymous volumes a replacement takes over from the container it replaces (reliability
 * P5: data in an anonymous volume survives a config change; `-V` opts out).
 */
import type { Project, Service } from '../model/types.js';
import { anonymousVolumeMounts, normalizeMountPath } from './anonymous-volumes.js';
import type { ObservedContainer, ObservedState } from './observed.js';
import type { InheritedVolume, PlanBuilder } from './plan.js';

/**
 * The old container's anonymous volumes whose path the new config still leaves to an anonymous
 * volume: one it declares (`- /data`), or one the image declares (`imageVolumes`). A path now
 * taken by a bind, a named volume or a tmpfs is not inherited. When the image's volumes are
 * unknown, every unclaimed anonymous volume is carried over, so data is never dropped by doubt.
 */
export function inheritedVolumes(
  service: Service,
  old: ObservedContainer,
  imageVolumes: readonly string[] | undefined,
  observed: ObservedState,
  project: Project,
): InheritedVolume[] {
  const claimed = new Set<string>();
  const anonymousTargets = new Set<string>();
  for (const mount of service.volumes ?? []) {
    const target = normalizeMountPath(mount.target);
    if (mount.type === 'volume' && mount.source === undefined) anonymousTargets.add(target);
    else claimed.add(target);
  }
  for (const entry of service.tmpfs ?? []) claimed.add(normalizeMountPath(entry.split(':')[0]));
  const declaredByImage = imageVolumes?.map(normalizeMountPath);
  const inherited: InheritedVolume[] = [];
  for (const mount of anonymousVolumeMounts(old, observed, project)) {
    const target = normalizeMountPath(mount.destination);
    if (claimed.has(target)) continue;
    if (!anonymousTargets.has(target) && declaredByImage !== undefined && !declaredByImage.includes(target)) continue;
    inherited.push({ target, volume: mount.name });
  }
  return inherited.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

/**
 * With `-V` the replaced container's anonymous volumes go with it. The engine's `rm -v` skips a
 * volume that an earlier replacement mounted by name, so each one is also removed explicitly, best
 * effort (Compose leaves them dangling: reliability P5).
 */
export function planRenewedVolumeRemovals(
  builder: PlanBuilder,
  old: ObservedContainer,
  context: { readonly observed: ObservedState; readonly project: Project },
  resource: string,
  removeNode: number,
): void {
  for (const mount of anonymousVolumeMounts(old, context.observed, context.project)) {
    builder.add({ type: 'remove-volume', name: mount.name }, resource, 'anonymous volume renewed (-V)', [removeNode], { bestEffort: true, finishes: true });
  }
}
