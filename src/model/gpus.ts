/** `gpus`: `all`, or a list of device requests (the engine adds the `gpu` capability to each). */
import type { DeviceRequest } from './types.js';
import { toDeviceRequest } from './device-requests.js';
import { isTree } from './scalars.js';

export function toGpus(value: unknown): DeviceRequest[] | undefined {
  // Compose prints `gpus: all` as one request for every device.
  if (value === 'all') return [{ count: -1 }];
  if (!Array.isArray(value)) return undefined;
  return value.filter(isTree).map(toDeviceRequest);
}
