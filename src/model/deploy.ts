/** `deploy`: labels as a map, sizes in bytes, durations in nanoseconds, device requests as in device-requests.ts. */
import type { Deploy, Resource, UpdateConfig } from './types.js';
import { toDeviceRequest } from './device-requests.js';
import { parseDuration } from './durations.js';
import { optionalLabels } from './environment.js';
import { parseSize } from './sizes.js';
import {
  asArray,
  compact,
  extensionsOf,
  isTree,
  optionalInteger,
  optionalNumber,
  optionalString,
  stringList,
} from './scalars.js';

export function toDeploy(value: unknown): Deploy | undefined {
  if (!isTree(value)) return undefined;
  const resources = isTree(value.resources)
    ? compact({ limits: toResource(value.resources.limits), reservations: toResource(value.resources.reservations) })
    : undefined;
  const restart = isTree(value.restart_policy)
    ? compact({
        condition: optionalString(value.restart_policy.condition),
        delay: parseDuration(value.restart_policy.delay),
        max_attempts: optionalInteger(value.restart_policy.max_attempts),
        window: parseDuration(value.restart_policy.window),
      })
    : undefined;
  const placement = isTree(value.placement)
    ? compact({
        constraints: stringList(value.placement.constraints),
        preferences: Array.isArray(value.placement.preferences)
          ? asArray(value.placement.preferences)
              .filter(isTree)
              .map((preference) => compact({ spread: optionalString(preference.spread) }))
          : undefined,
        max_replicas_per_node: optionalInteger(value.placement.max_replicas_per_node),
      })
    : undefined;
  return compact({
    mode: optionalString(value.mode),
    replicas: optionalInteger(value.replicas),
    labels: optionalLabels(value.labels),
    update_config: toUpdateConfig(value.update_config),
    rollback_config: toUpdateConfig(value.rollback_config),
    resources,
    restart_policy: restart,
    placement,
    endpoint_mode: optionalString(value.endpoint_mode),
    extensions: extensionsOf(value),
  });
}

function toUpdateConfig(value: unknown): UpdateConfig | undefined {
  if (!isTree(value)) return undefined;
  return compact({
    parallelism: optionalInteger(value.parallelism),
    delay: parseDuration(value.delay),
    failure_action: optionalString(value.failure_action),
    monitor: parseDuration(value.monitor),
    max_failure_ratio: optionalNumber(value.max_failure_ratio),
    order: optionalString(value.order),
  });
}

function toResource(value: unknown): Resource | undefined {
  if (!isTree(value)) return undefined;
  return compact({
    cpus: optionalNumber(value.cpus),
    memory: parseSize(value.memory),
    pids: optionalInteger(value.pids),
    devices: Array.isArray(value.devices) ? asArray(value.devices).filter(isTree).map(toDeviceRequest) : undefined,
    generic_resources: Array.isArray(value.generic_resources) ? asArray(value.generic_resources).filter(isTree) : undefined,
    extensions: extensionsOf(value),
  });
}
