/** `blkio_config`: device rates in bytes (`12mb`) for the bps lists, plain numbers for iops. */
import type { BlkioConfig, BlkioThrottle } from './types.js';
import { parseSize } from './sizes.js';
import { asArray, compact, isTree, optionalInteger, optionalString } from './scalars.js';

export function toBlkioConfig(value: unknown): BlkioConfig | undefined {
  if (!isTree(value)) return undefined;
  const throttles = (list: unknown): BlkioThrottle[] | undefined => {
    if (!Array.isArray(list)) return undefined;
    const out: BlkioThrottle[] = [];
    for (const entry of asArray(list)) {
      if (!isTree(entry)) continue;
      const path = optionalString(entry.path);
      const rate = parseSize(entry.rate);
      if (path !== undefined && rate !== undefined) out.push({ path, rate });
    }
    return out;
  };
  const weightDevice = Array.isArray(value.weight_device)
    ? asArray(value.weight_device)
        .filter(isTree)
        .flatMap((entry) => {
          const path = optionalString(entry.path);
          const weight = optionalInteger(entry.weight);
          return path !== undefined && weight !== undefined ? [{ path, weight }] : [];
        })
    : undefined;
  return compact({
    weight: optionalInteger(value.weight),
    weight_device: weightDevice,
    device_read_bps: throttles(value.device_read_bps),
    device_read_iops: throttles(value.device_read_iops),
    device_write_bps: throttles(value.device_write_bps),
    device_write_iops: throttles(value.device_write_iops),
  });
}
