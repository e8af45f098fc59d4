/**
 * Volumes. Top-level volumes get their engine name (resource-names.ts) and labels as a map.
 *
 * Service `volumes`. Short syntax (`[source:]target[:options]`) becomes a long entry:
 * - a source that looks like a path (`.`, `/`, `~`, a Windows drive) is a bind mount, resolved
 *   to an absolute path, with `bind.create_host_path: true` (Compose's legacy behaviour);
 * - any other source is a named volume, no source an anonymous volume; both get `volume: {}`;
 * - options: `ro`/`rw`, `nocopy`, propagation (`rshared`, ...) and SELinux (`z`, `Z`); others
 *   (`cached`, `delegated`) are ignored, as Compose ignores them.
 * Long entries keep what was written; bind sources are resolved. Targets are cleaned and each
 * target appears once (the last definition wins, at the first one's place).
 */
import type { Mount, MountType, Volume } from './types.js';
import { optionalLabels } from './environment.js';
import { externalAndName, resourceName } from './resource-names.js';
import { isLocalBindVolume } from '../load/bind-paths.js';
import { cleanPath, resolveBindSource, resolveHostPath, type PathContext } from './paths.js';
import {
  compact,
  extensionsOf,
  isTree,
  optionalBoolean,
  optionalInteger,
  optionalString,
  scalarString,
  stringMap,
} from './scalars.js';
import { parseSize } from './sizes.js';

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);
const SELINUX = new Set(['z', 'Z']);
const MOUNT_TYPES = new Set<MountType>(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']);

export function toMounts(value: unknown, context: PathContext): Mount[] {
  const byTarget = new Map<string, Mount>();
  if (!Array.isArray(value)) return [];
  for (const item of value) {
    let mount: Mount | undefined;
    if (isTree(item)) mount = longMount(item, context);
    else {
      const text = scalarString(item);
      if (text !== undefined) mount = shortMount(text, context);
    }
    if (mount) byTarget.set(mount.target, mount);
  }
  return [...byTarget.values()];
}

interface ShortParts {
  source?: string;
  target?: string;
  options: string[];
}

/**
 * Splits on `:`. Compose also guesses Windows drive letters (`C:\\x`), which turns a one-letter
 * volume name (`v:/data`) into a strange anonymous volume; Linux engines have no drives, so we
 * do not guess (the validator rejects the drive-letter forms). Undefined when malformed.
 */
function splitShortSpec(spec: string): ShortParts | undefined {
  const parts: ShortParts = { options: [] };
  let buffer = '';
  const flush = (atEnd: boolean): boolean => {
    if (buffer === '') return false;
    if (parts.source === undefined && atEnd) parts.target = buffer;
    else if (parts.source === undefined) parts.source = buffer;
    else if (parts.target === undefined) parts.target = buffer;
    else if (!atEnd) return false;
    else parts.options = buffer.split(',');
    buffer = '';
    return true;
  };
  for (const char of spec) {
    if (char === ':') {
      if (!flush(false)) return undefined;
    } else buffer += char;
  }
  if (!flush(true)) return undefined;
  return parts;
}

function looksLikePath(source: string): boolean {
  return /^[./~]/.test(source);
}

export function shortMount(spec: string, context: PathContext): Mount | undefined {
  // One- and two-character specs are taken as an anonymous volume's target, as Compose does.
  if (spec.length === 0) return undefined;
  if (spec.length <= 2) return { type: 'volume', target: cleanPath(spec) };
  const parts = splitShortSpec(spec);
  if (!parts || parts.target === undefined) return undefined;
  let readOnly = false;
  let nocopy = false;
  let propagation: string | undefined;
  let selinux: string | undefined;
  for (const option of parts.options) {
    if (option === 'ro') readOnly = true;
    else if (option === 'rw') readOnly = false;
    else if (option === 'nocopy') nocopy = true;
    else if (PROPAGATIONS.has(option)) propagation = option;
    else if (SELINUX.has(option)) selinux = option;
  }
  const bindOptions = propagation !== undefined || selinux !== undefined ? compact({ selinux, propagation }) : undefined;
  const target = cleanPath(parts.target);
  if (parts.source !== undefined && looksLikePath(parts.source)) {
    return compact({
      type: 'bind' as const,
      source: resolveHostPath(parts.source, context),
      target,
      read_only: readOnly || undefined,
      bind: { ...bindOptions, create_host_path: true },
      volume: nocopy ? { nocopy: true } : undefined,
    });
  }
  return compact({
    type: 'volume' as const,
    source: parts.source,
    target,
    read_only: readOnly || undefined,
    bind: bindOptions,
    volume: nocopy ? { nocopy: true } : {},
  });
}

function longMount(item: Record<string, unknown>, context: PathContext): Mount | undefined {
  const target = optionalString(item.target);
  if (target === undefined) return undefined;
  const typeText = optionalString(item.type) ?? 'volume';
  const type = (MOUNT_TYPES.has(typeText as MountType) ? typeText : 'volume') as MountType;
  let source = optionalString(item.source);
  if (source !== undefined && type === 'bind') source = resolveBindSource(source, context);
  const bind = isTree(item.bind)
    ? compact({
        selinux: optionalString(item.bind.selinux),
        propagation: optionalString(item.bind.propagation),
        create_host_path: optionalBoolean(item.bind.create_host_path),
      })
    : undefined;
  const volume = isTree(item.volume)
    ? compact({ nocopy: optionalBoolean(item.volume.nocopy), subpath: optionalString(item.volume.subpath) })
    : undefined;
  const tmpfs = isTree(item.tmpfs)
    ? compact({ size: parseSize(item.tmpfs.size), mode: optionalInteger(item.tmpfs.mode) })
    : undefined;
  return compact({
    type,
    source: source === '' ? undefined : source,
    target: cleanPath(target),
    read_only: optionalBoolean(item.read_only),
    consistency: optionalString(item.consistency),
    bind,
    volume,
    tmpfs,
    extensions: extensionsOf(item),
  });
}

export function toVolume(key: string, value: unknown, projectName: string, paths: PathContext): Volume {
  const raw = isTree(value) ? value : {};
  const { external, name } = externalAndName(raw);
  const driverOpts = stringMap(raw.driver_opts);
  if (driverOpts?.device !== undefined && isLocalBindVolume(raw)) driverOpts.device = resolveBindSource(driverOpts.device, paths);
  return compact({
    name: resourceName(key, name, external, projectName),
    driver: optionalString(raw.driver),
    driver_opts: driverOpts,
    external: external || undefined,
    labels: optionalLabels(raw.labels),
    extensions: extensionsOf(raw),
  });
}
