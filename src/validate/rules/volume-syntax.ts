/**
 * Service volumes must be mounts the engine accepts: the short syntax parses (no `a:b:c:d`, no
 * empty sections, known modes), container paths are absolute, and the long syntax has what its
 * type needs (a source for bind mounts, none for tmpfs). Compose 2.26 lets most of these through
 * to `up`, which then fails half-way.
 */
import type { PathSegment } from '../../load/located.js';
import type { Finding } from '../finding.js';
import { isMapping, type Mapping, type Rule, type RuleInput } from '../rule.js';
import { parseVolumeSpec } from '../syntax/volume-spec.js';

function* checkLong(entry: Mapping, path: readonly PathSegment[]): Iterable<Finding> {
  const type = entry.type;
  const target = entry.target;
  if (target === undefined || target === '') {
    yield { path, message: 'target is required', hint: 'add `target: /path/in/container`' };
  } else if (typeof target === 'string' && !target.startsWith('/')) {
    yield {
      path: [...path, 'target'],
      message: `invalid mount path: '${target}' mount path must be absolute`,
      hint: 'the container path must start with "/"',
    };
  }
  const hasSource = typeof entry.source === 'string' && entry.source !== '';
  if ((type === 'bind' || type === 'image' || type === 'npipe') && !hasSource) {
    yield {
      path,
      message: `invalid mount config for type "${type}": field Source must not be empty`,
      hint: type === 'bind' ? 'add `source: ./path/on/host`' : 'add `source:`',
    };
  }
  if (type === 'tmpfs' && hasSource) {
    yield {
      path: [...path, 'source'],
      message: 'invalid mount config for type "tmpfs": field Source must not be specified',
      hint: 'a tmpfs mount lives in memory: remove `source`',
    };
  }
}

function* check(input: RuleInput): Iterable<Finding> {
  for (const [name, service] of input.services) {
    const volumes = service.volumes;
    if (!Array.isArray(volumes)) continue;
    for (let index = 0; index < volumes.length; index++) {
      const entry = volumes[index];
      const path = ['services', name, 'volumes', index];
      if (typeof entry === 'string') {
        const spec = parseVolumeSpec(entry);
        if (!spec.ok) yield { path, message: spec.message, hint: spec.hint };
      } else if (isMapping(entry)) {
        yield* checkLong(entry, path);
      }
    }
  }
}

export const volumeSyntax: Rule = { name: 'volume-syntax', check };
