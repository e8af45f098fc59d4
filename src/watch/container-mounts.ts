/**
 * The mounts the guards check (decide.ts: a sync never writes through a bind mount, a delete never
 * removes a mount point), completed with what the engine reports for each service's containers.
 * The model knows a service's own mounts and those inherited through `volumes_from: [service]`;
 * only the engine knows `volumes_from: [container:x]`, mounts added by a container created by
 * hand or by another tool, and what an older configuration left on a running container. A mount
 * the guards miss is a loop (a sync writing the host file it was triggered by) or lost host data,
 * so the union of both is checked. Pure.
 */
import type { ContainerSummary } from '../apply/engine.js';
import { LABEL } from '../model/labels.js';
import type { MountType } from '../model/types.js';
import { cleanTarget, type MountPoint, type WatchTargets } from './watch-targets.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set<MountType>(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']);

function mountType(engineType: string): MountType {
  // Anything the engine names otherwise is still a mount point, never something to write through.
  return KNOWN_TYPES.has(engineType) ? (engineType as MountType) : 'volume';
}

/** `targets` whose mount points also hold the mounts of the services' containers (one-off containers aside). */
export function withContainerMounts(targets: WatchTargets, containers: readonly ContainerSummary[] | undefined): WatchTargets {
  if (!containers || containers.length === 0) return targets;
  const mountPoints: Record<string, MountPoint[]> = {};
  for (const [service, known] of Object.entries(targets.mountPoints)) {
    const points = [...known];
    const seen = new Set(points.map((point) => `${point.type}:${point.target}`));
    for (const container of containers) {
      if (container.labels[LABEL.service] !== service || container.labels[LABEL.oneoff] === 'True') continue;
      for (const mount of container.mounts) {
        const point: MountPoint = { type: mountType(mount.type), target: cleanTarget(mount.destination) };
        const key = `${point.type}:${point.target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        points.push(point);
      }
    }
    mountPoints[service] = points;
  }
  return { ...targets, mountPoints };
}
