/**
 * One container path can be mounted once: two volumes (or a volume and a tmpfs) with the same
 * target make the engine refuse the container ("Duplicate mount point").
 */
import { posix } from 'node:path';
import type { PathSegment } from '../../load/located.js';
import { formatPath } from '../../load/located.js';
import type { Finding } from '../finding.js';
import { isMapping, type Mapping, type Rule, type RuleInput } from '../rule.js';
import { parseVolumeSpec } from '../syntax/volume-spec.js';

function targets(name: string, service: Mapping): Array<{ target: string; path: readonly PathSegment[] }> {
  const out: Array<{ target: string; path: readonly PathSegment[] }> = [];
  if (Array.isArray(service.volumes)) {
    service.volumes.forEach((entry, index) => {
      const path = ['services', name, 'volumes', index];
      if (typeof entry === 'string') {
        const spec = parseVolumeSpec(entry);
        if (spec.ok) out.push({ target: spec.target, path });
      } else if (isMapping(entry) && typeof entry.target === 'string') {
        out.push({ target: entry.target, path });
      }
    });
  }
  const tmpfs = typeof service.tmpfs === 'string' ? [service.tmpfs] : service.tmpfs;
  if (Array.isArray(tmpfs)) {
    tmpfs.forEach((entry, index) => {
      const path = typeof service.tmpfs === 'string' ? ['services', name, 'tmpfs'] : ['services', name, 'tmpfs', index];
      // "/run:size=64m,mode=1777"
      if (typeof entry === 'string') out.push({ target: entry.split(':')[0], path });
    });
  }
  return out;
}

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const seen = new Map<string, readonly PathSegment[]>();
    for (const { target, path } of targets(name, service)) {
      if (!target.startsWith('/')) continue;
      // most targets are already clean; normalise only the ones that are not
      const normalised = /\/\/|\/\.\.?(\/|$)|.\/$/.test(target) ? posix.normalize(target).replace(/(.)\/$/, '$1') : target;
      const first = seen.get(normalised);
      if (first) {
        yield {
          path,
          message: `target ${target} already mounted as ${formatPath(first)}`,
          hint: 'mount each container path once: remove or change one of the two entries',
        };
      } else {
        seen.set(normalised, path);
      }
    }
  }
}

export const duplicateMountTargets: Rule = { name: 'duplicate-mount-targets', check };
