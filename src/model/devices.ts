/** `devices`: `host[:container[:permissions]]` becomes long form; permissions default to `rwm`. */
import type { Device } from './types.js';
import { isTree, optionalString, scalarString } from './scalars.js';

export function toDevices(value: unknown): Device[] {
  if (!Array.isArray(value)) return [];
  const out: Device[] = [];
  for (const item of value) {
    if (isTree(item)) {
      const source = optionalString(item.source);
      if (source === undefined) continue;
      out.push({
        source,
        target: optionalString(item.target) ?? source,
        permissions: optionalString(item.permissions) ?? 'rwm',
      });
      continue;
    }
    const text = scalarString(item);
    if (text === undefined) continue;
    const [source, target, permissions] = text.split(':');
    out.push({ source, target: target || source, permissions: permissions || 'rwm' });
  }
  return out;
}
