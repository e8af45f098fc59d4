/** `ulimits`: a number sets both limits (`single`); a mapping gives soft and hard. */
import type { Ulimit } from './types.js';
import { compact, isTree, optionalInteger, sortByKey } from './scalars.js';

export function toUlimits(value: unknown): Record<string, Ulimit> {
  const out: Record<string, Ulimit> = {};
  if (!isTree(value)) return out;
  for (const [name, entry] of Object.entries(value)) {
    if (isTree(entry)) out[name] = compact({ soft: optionalInteger(entry.soft), hard: optionalInteger(entry.hard) });
    else {
      const single = optionalInteger(entry);
      if (single !== undefined) out[name] = { single };
    }
  }
  return sortByKey(out);
}
