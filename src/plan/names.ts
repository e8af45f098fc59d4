/**
 * Engine-side names, as Compose spells them: containers `<project>-<service>-<n>` (or
 * `container_name`), the temporary name of a replacement `<oldId[:12]>_<final name>`, and the
 * image reference of a service.
 */
import type { Service } from '../model/types.js';

export function containerName(projectName: string, service: Service, number: number): string {
  return service.container_name ?? `${projectName}-${service.name}-${number}`;
}

/** The name a replacement is created under while the container it replaces still holds the final name. */
export function temporaryName(replacedId: string, finalName: string): string {
  return `${replacedId.slice(0, 12)}_${finalName}`;
}

/**
 * Recognises a temporary name left by a recreate (tscompose's or Compose's, which use the same
 * form). `replacedIdPrefix` is the first 12 hex digits of the replaced container's ID.
 */
export function parseTemporaryName(name: string): { replacedIdPrefix: string; finalName: string } | undefined {
  const match = /^([0-9a-f]{12})_(.+)$/.exec(name);
  return match ? { replacedIdPrefix: match[1], finalName: match[2] } : undefined;
}

/** The image a service's containers run: `image:`, or `<project>-<service>` for a built image (Compose's default tag). */
export function serviceImageReference(projectName: string, service: Service): string {
  return service.image ?? `${projectName}-${service.name}`;
}

/** Resource IDs used in plans and progress output. */
export const resourceId = {
  replica: (service: string, number: number): string => `service:${service}:${number}`,
  network: (key: string): string => `network:${key}`,
  volume: (key: string): string => `volume:${key}`,
  orphan: (containerName: string): string => `orphan:${containerName}`,
  wait: (service: string, condition: string): string => `wait:${service}:${condition}`,
};
