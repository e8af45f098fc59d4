/**
 * The short volume syntax `[SOURCE:]TARGET[:MODE]`. Compose 2.26 accepts broken specs such as
 * `a:b:c:d` (it guesses at Windows drive letters) or a relative container path, and the engine
 * rejects them only at `up`; we reject them while validating. Drive letters are not guessed:
 * Linux engines have none.
 */
import { rememberedByText } from './remembered.js';

export type VolumeSpec =
  | {
      readonly ok: true;
      /** bind for host paths (`.`, `/`, `~`), volume for names and anonymous volumes. */
      readonly type: 'bind' | 'volume';
      readonly source?: string;
      readonly target: string;
      readonly modes: readonly string[];
    }
  | { readonly ok: false; readonly message: string; readonly hint: string };

/** Options the engine understands after the second colon. */
export const VOLUME_MODES: readonly string[] = [
  'ro', 'rw', 'nocopy', 'z', 'Z',
  'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate',
  'cached', 'delegated', 'consistent',
];

const SHAPE_HINT = 'use [SOURCE:]TARGET[:MODE], e.g. "./data:/var/lib/data:ro" or "cache:/cache"';

/** True for sources Compose treats as host paths rather than volume names. */
export function isHostPath(source: string): boolean {
  return /^[./~]/.test(source);
}

/**
 * `C:\data:/data`, `D:/x:/y`: a Windows path as the source (a drive, then a target path), which
 * only the long syntax can say here. `v:/v:ro` stays the volume `v`.
 */
const WINDOWS_SOURCE = /^[a-zA-Z]:[\\/][^:]*:\//;

/** Reads a short volume spec (each distinct text once, see remembered.ts). */
export const parseVolumeSpec: (spec: string) => VolumeSpec = rememberedByText(readVolumeSpec);

function readVolumeSpec(spec: string): VolumeSpec {
  if (spec === '') return { ok: false, message: 'invalid empty volume spec', hint: SHAPE_HINT };
  if (WINDOWS_SOURCE.test(spec)) {
    return {
      ok: false,
      message: `invalid volume specification: '${spec}': a Windows path as the source of a short volume`,
      hint: 'write it in the long syntax: {type: bind, source: "C:\\data", target: /data}',
    };
  }
  const parts = spec.split(':');
  if (parts.length > 3) {
    return { ok: false, message: `invalid volume specification: '${spec}': too many colons`, hint: SHAPE_HINT };
  }
  if (parts.some((part) => part === '')) {
    return { ok: false, message: `invalid spec: ${spec}: empty section between colons`, hint: SHAPE_HINT };
  }
  const [source, target] = parts.length === 1 ? [undefined, parts[0]] : [parts[0], parts[1]];
  if (!target.startsWith('/')) {
    return {
      ok: false,
      message: `invalid mount path: '${target}' mount path must be absolute`,
      hint:
        parts.length === 1
          ? 'a single path is an anonymous volume and needs an absolute container path; for a named volume write NAME:/path'
          : 'the container path (after the first colon) must start with "/"',
    };
  }
  const modes = parts.length === 3 ? parts[2].split(',') : [];
  const unknown = modes.find((mode) => !VOLUME_MODES.includes(mode));
  if (unknown !== undefined) {
    return {
      ok: false,
      message: `invalid mode '${unknown}' in volume specification '${spec}'`,
      hint: `modes are a comma-separated list of: ${VOLUME_MODES.join(', ')}`,
    };
  }
  const type = source !== undefined && isHostPath(source) ? 'bind' : 'volume';
  return { ok: true, type, source, target, modes };
}
