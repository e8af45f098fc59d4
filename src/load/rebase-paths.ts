/**
 * Content that comes from another directory (a service extended from another file, an included
 * project) has relative paths meant for that directory. Later stages resolve relative paths
 * against the project directory, so such paths are made absolute here, in place and in the
 * syntax the user wrote (a short volume `./data:/data` stays short). Absolute paths, `~` paths,
 * named volumes and remote build contexts are left alone.
 */
import path from 'node:path';
import { isLocalBindVolume, isWindowsAbsolute } from './bind-paths.js';
import { isMapping } from './merge.js';

type Mapping = Record<string, unknown>;

/**
 * A build context Compose leaves as written: any `scheme://` reference, a `service:` context, or
 * a git reference (`git@`, `github.com/`). Anything else, `docker-image:x` included, is a path.
 */
function isRemoteOrSpecial(value: string): boolean {
  return value.includes('://') || value.startsWith('service:') || value.startsWith('git@') || value.startsWith('github.com/');
}

/** Joined and cleaned like Go's filepath.Join: `./` becomes the directory itself, with no trailing `/`. */
function absolute(dir: string, value: string): string {
  if (value.startsWith('~') || path.isAbsolute(value)) return value;
  return path.resolve(dir, value);
}

function rebaseContext(dir: string, value: unknown): unknown {
  return typeof value === 'string' && !isRemoteOrSpecial(value) ? absolute(dir, value) : value;
}

/** Rewrites `container[key]` with `fn`. */
function rewrite(container: Mapping | unknown[], key: string | number, fn: (value: unknown) => unknown): void {
  const before = (container as Record<string | number, unknown>)[key];
  if (before === undefined) return;
  const after = fn(before);
  // Same container and key: the entry keeps its recorded position.
  if (after !== before) (container as Record<string | number, unknown>)[key] = after;
}

/** A bind source or a bind volume's device: a Windows absolute path stays as written (see resolveBindSource). */
function absoluteBindSource(dir: string, value: string): string {
  return isWindowsAbsolute(value) ? value : absolute(dir, value);
}

/** A short volume `SRC:TARGET[:MODE]` whose SRC is a relative path (starts with `.`). */
function rebaseShortVolume(dir: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const colon = spec.indexOf(':');
  if (colon < 0) return spec;
  return absolute(dir, spec.slice(0, colon)) + spec.slice(colon);
}

export function rebaseService(service: unknown, dir: string): void {
  if (!isMapping(service)) return;
  const build = service.build;
  if (typeof build === 'string') {
    rewrite(service, 'build', (v) => rebaseContext(dir, v));
  } else if (isMapping(build)) {
    // No context means the directory the definition came from, not the project directory.
    if (build.context === undefined) build.context = dir;
    else rewrite(build, 'context', (v) => rebaseContext(dir, v));
    const contexts = build.additional_contexts;
    if (isMapping(contexts)) {
      for (const key of Object.keys(contexts)) rewrite(contexts, key, (v) => rebaseContext(dir, v));
    } else if (Array.isArray(contexts)) {
      contexts.forEach((_, index) =>
        rewrite(contexts, index, (v) => {
          if (typeof v !== 'string') return v;
          const eq = v.indexOf('=');
          return eq < 0 ? v : `${v.slice(0, eq + 1)}${rebaseContext(dir, v.slice(eq + 1)) as string}`;
        }),
      );
    }
  }
  const envFile = service.env_file;
  if (typeof envFile === 'string') {
    rewrite(service, 'env_file', (v) => absolute(dir, v as string));
  } else if (Array.isArray(envFile)) {
    envFile.forEach((entry, index) => {
      if (typeof entry === 'string') rewrite(envFile, index, (v) => absolute(dir, v as string));
      else if (isMapping(entry) && typeof entry.path === 'string') rewrite(entry, 'path', (v) => absolute(dir, v as string));
    });
  }
  const volumes = service.volumes;
  if (Array.isArray(volumes)) {
    volumes.forEach((volume, index) => {
      if (typeof volume === 'string') rewrite(volumes, index, (v) => rebaseShortVolume(dir, v as string));
      else if (isMapping(volume) && volume.type === 'bind' && typeof volume.source === 'string') {
        rewrite(volume, 'source', (v) => absoluteBindSource(dir, v as string));
      }
    });
  }
  const develop = service.develop;
  if (isMapping(develop) && Array.isArray(develop.watch)) {
    for (const rule of develop.watch) {
      if (isMapping(rule) && typeof rule.path === 'string') rewrite(rule, 'path', (v) => absolute(dir, v as string));
    }
  }
  const extendsRef = service.extends;
  if (isMapping(extendsRef) && typeof extendsRef.file === 'string') rewrite(extendsRef, 'file', (v) => absolute(dir, v as string));
}

/** Every relative path of a whole (included) project. */
export function rebaseProject(tree: Mapping, dir: string): void {
  const services = tree.services;
  if (isMapping(services)) for (const name of Object.keys(services)) rebaseService(services[name], dir);
  for (const kind of ['secrets', 'configs']) {
    const resources = tree[kind];
    if (!isMapping(resources)) continue;
    for (const name of Object.keys(resources)) {
      const resource = resources[name];
      if (isMapping(resource) && typeof resource.file === 'string') rewrite(resource, 'file', (v) => absolute(dir, v as string));
    }
  }
  const volumes = tree.volumes;
  if (isMapping(volumes)) {
    for (const name of Object.keys(volumes)) {
      const volume = volumes[name];
      if (!isMapping(volume) || !isMapping(volume.driver_opts)) continue;
      const opts = volume.driver_opts;
      // Only what Compose resolves (and the model too, see toVolume): a `local` volume with `o: bind`.
      if (isLocalBindVolume(volume) && typeof opts.device === 'string') {
        rewrite(opts, 'device', (v) => absoluteBindSource(dir, v as string));
      }
    }
  }
}
