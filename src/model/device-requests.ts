/**
 * Device requests (`deploy.resources.reservations.devices`, `gpus`): what the engine is asked to
 * hand the container (GPUs, through a driver). Compose's rule: when neither `count` nor
 * `device_ids` is given, every matching device is requested (`count: -1`, as for `count: all`).
 */
import type { DeviceRequest } from './types.js';
import { compact, optionalInteger, optionalString, stringList, stringMap, type Tree } from './scalars.js';

export function toDeviceRequest(value: Tree): DeviceRequest {
  const deviceIds = stringList(value.device_ids);
  const count = value.count === 'all' ? -1 : optionalInteger(value.count);
  return compact({
    capabilities: stringList(value.capabilities),
    driver: optionalString(value.driver),
    count: count ?? (deviceIds === undefined ? -1 : undefined),
    device_ids: deviceIds,
    options: stringMap(value.options),
  });
}
