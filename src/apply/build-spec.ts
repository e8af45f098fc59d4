/**
 * A service's `build:` section as a request to the engine's builder: BuildKit (the default, as in
 * Compose) or the classic builder (engines without BuildKit, or DOCKER_BUILDKIT=0). What a
 * builder cannot honour is reported by name before anything is built: as an error when the image
 * would come out wrong without it, as a warning when it only changes how the build runs.
 *
 * Mapping notes (what the engine's `/build` endpoint can express):
 * - `cache_from`: registry references (a bare reference, or `type=registry,ref=...`); the engine
 *   reads the inline cache of those images, also of local ones.
 * - `cache_to`: `type=inline` writes the cache into the image; `type=registry,ref=...` does the
 *   same and pushes the image as `ref` after the build (mode=min: the engine has no cache export).
 * - `network`: BuildKit takes `default`, `host` and `none` only; the classic builder any network.
 * - `shm_size`, `ulimits`: sent; BuildKit honours them from Engine 23.
 */
import { LABEL } from '../model/labels.js';
import type { Build, Project, Service } from '../model/types.js';
import { toEngineExtraHost } from './container-spec.js';
import type { Builder, BuildSpec } from './engine.js';

/** Set on images the classic builder makes, as Compose does (BuildKit builds carry no such label). */
export const IMAGE_BUILDER_LABEL = 'com.docker.compose.image.builder';

/** Command-line overrides of `build` and `up --build`. */
export interface BuildOverrides {
  /** `--no-cache`. */
  readonly noCache?: boolean;
  /** `--pull`: always try newer base images. */
  readonly pull?: boolean;
  /** `--build-arg`: merged over the service's `args`. */
  readonly args?: Readonly<Record<string, string>>;
  /** DOCKER_DEFAULT_PLATFORM, used when the service names none. */
  readonly defaultPlatform?: string;
  /** `--ssh`: agents or keys for every build (`default`, `id=path`), over each service's `build.ssh`. */
  readonly ssh?: readonly string[];
  /** `-m`: memory limit of the classic builder's step containers, in bytes (BuildKit ignores it). */
  readonly memory?: number;
}

export interface BuildSupport {
  /** The build cannot be done right without these; nothing is built. */
  readonly errors: readonly string[];
  /** Ignored attributes; the build goes ahead. */
  readonly warnings: readonly string[];
}

/** Compose's wording for what the classic builder lacks. */
const CLASSIC_LACKS = (what: string) => `the classic builder doesn't support ${what}, set DOCKER_BUILDKIT=1 to use BuildKit`;

/** A cache_from / cache_to entry: a bare reference is `type=registry,ref=...`. */
export function parseCacheEntry(entry: string): Readonly<Record<string, string>> {
  if (!entry.includes('=')) return { type: 'registry', ref: entry };
  const fields: Record<string, string> = {};
  for (const part of entry.split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields[part.slice(0, equals).trim()] = part.slice(equals + 1).trim();
  }
  fields.type ??= 'registry';
  return fields;
}

/** The references a `cache_to: type=registry` entry asks to push after the build. */
export function cacheExports(build: Build): string[] {
  return (build.cache_to ?? []).map(parseCacheEntry).flatMap((entry) => (entry.type === 'registry' && entry.ref ? [entry.ref] : []));
}

const BUILDKIT_NETWORKS = new Set(['default', 'host', 'none']);

/**
 * What cannot be built as written. Without a builder (a dry run, or before the engine is asked),
 * only what no builder can do is checked.
 */
export function checkBuildSupport(service: Service, builder?: Builder, enginePlatform?: string): BuildSupport {
  const build = service.build;
  if (build === undefined) return { errors: [], warnings: [] };
  const where = `service "${service.name}"`;
  const errors: string[] = [];
  const warnings: string[] = [];

  const platforms = [...new Set([...(build.platforms ?? []), ...(service.platform !== undefined ? [service.platform] : [])])];
  if ((build.platforms?.length ?? 0) > 1) {
    errors.push(
      `${where}: build.platforms lists ${build.platforms!.length} platforms; the engine builds for one (its own): multi-platform builds need a BuildKit builder of its own (docker buildx)`,
    );
  } else if (enginePlatform !== undefined) {
    for (const platform of platforms) {
      if (!samePlatform(platform, enginePlatform)) {
        errors.push(`${where}: the image is for ${platform}, but the engine builds only for its own platform, ${enginePlatform}; remove the platform or build on a ${platform} engine`);
      }
    }
  }
  for (const entry of build.cache_from ?? []) {
    const cache = parseCacheEntry(entry);
    if (cache.type !== 'registry' || !cache.ref) errors.push(`${where}: build.cache_from "${entry}": ${cacheProblem(cache.type)}`);
  }
  for (const entry of build.cache_to ?? []) {
    const cache = parseCacheEntry(entry);
    if (cache.type === 'inline') continue;
    if (cache.type !== 'registry' || !cache.ref) errors.push(`${where}: build.cache_to "${entry}": ${cacheProblem(cache.type)}`);
    else if (cache.mode === 'max') warnings.push(`${where}: build.cache_to "${entry}": the engine exports the cache inline (mode=min): only the final stage's steps are cached`);
  }
  for (const [name, location] of Object.entries(build.additional_contexts ?? {})) {
    if (/^(?:https?|git|ssh):\/\//.test(location) || /\.git(#.*)?$/.test(location) || location.startsWith('oci-layout://')) {
      errors.push(`${where}: build.additional_contexts.${name} is ${location}; only directories, docker-image:// and service: contexts can be used`);
    }
  }
  if (builder === undefined) return { errors, warnings };

  if (builder === 'classic') {
    if (build.cache_to?.length) warnings.push(`${where}: build.cache_to is ignored by the classic builder`);
    if (build.secrets?.length) errors.push(`${where}: build.secrets: ${CLASSIC_LACKS('secrets')}`);
    if (build.ssh?.length) errors.push(`${where}: build.ssh: ${CLASSIC_LACKS('SSH keys')}`);
    if (build.privileged) errors.push(`${where}: build.privileged: ${CLASSIC_LACKS('privileged mode')}`);
  } else {
    if (build.network !== undefined && !BUILDKIT_NETWORKS.has(build.network)) {
      errors.push(`${where}: build.network "${build.network}": network mode "${build.network}" not supported by buildkit (use default, host or none, or DOCKER_BUILDKIT=0)`);
    }
    if (build.isolation !== undefined && build.isolation !== 'default') warnings.push(`${where}: build.isolation is ignored by BuildKit`);
    for (const entitlement of build.entitlements ?? []) {
      if (entitlement === 'network.host' && build.network === 'host') continue;
      errors.push(
        entitlement === 'network.host'
          ? `${where}: build.entitlements network.host is granted only with build.network: host`
          : `${where}: build.entitlements ${entitlement}: the engine's /build endpoint can grant only network.host (with build.network: host)`,
      );
    }
    if (build.privileged) {
      errors.push(
        `${where}: build.privileged needs BuildKit's security.insecure entitlement, which the engine's /build endpoint cannot grant; ` +
          'remove it (RUN steps without --security=insecure do not need it)',
      );
    }
  }
  return { errors, warnings };
}

function cacheProblem(type: string | undefined): string {
  if (type === 'local') {
    return 'type=local needs a BuildKit cache store of its own (docker buildx with the docker-container driver); the engine keeps its cache itself: use type=inline or type=registry';
  }
  return `type=${type ?? ''} is not supported: use type=inline or type=registry,ref=...`;
}

/** `linux/amd64` matches `linux/amd64/v1`, and `linux/arm64` `linux/arm64/v8` (their defaults). */
export function samePlatform(a: string, b: string): boolean {
  const normal = (platform: string) =>
    platform
      .toLowerCase()
      .replace(/^linux\/amd64\/v1$/, 'linux/amd64')
      .replace(/^linux\/arm64\/v8$/, 'linux/arm64')
      .replace(/^linux\/aarch64/, 'linux/arm64')
      .replace(/^linux\/x86_64/, 'linux/amd64');
  return normal(a) === normal(b);
}

/** The engine request for one service's image, tagged `reference` plus `build.tags`. */
export function toBuildSpec(
  project: Project,
  service: Service,
  reference: string,
  toolVersion: string,
  overrides: BuildOverrides = {},
  builder: Builder = 'classic',
): BuildSpec {
  const build = service.build;
  if (build === undefined) throw new Error(`service "${service.name}" has no build section`);
  const inlineCache = (build.cache_to ?? []).some((entry) => ['inline', 'registry'].includes(parseCacheEntry(entry).type));
  const args = { ...(build.args ?? {}), ...(overrides.args ?? {}), ...(inlineCache && builder === 'buildkit' ? { BUILDKIT_INLINE_CACHE: '1' } : {}) };
  const platform = service.platform ?? (build.platforms?.length === 1 ? build.platforms[0] : undefined) ?? overrides.defaultPlatform;
  const cacheFrom = (build.cache_from ?? []).map(parseCacheEntry).flatMap((entry) => (entry.ref ? [entry.ref] : []));
  const spec: BuildSpec = {
    context: build.context,
    ...(build.dockerfile_inline !== undefined ? { dockerfileInline: build.dockerfile_inline } : { dockerfile: build.dockerfile ?? 'Dockerfile' }),
    ...(Object.keys(args).length > 0 ? { args } : {}),
    ...(build.target !== undefined ? { target: build.target } : {}),
    // The user's labels, then the identity, which always wins (Compose's order for containers too).
    labels: {
      ...(build.labels ?? {}),
      [LABEL.project]: project.name,
      [LABEL.service]: service.name,
      [LABEL.version]: toolVersion,
      ...(builder === 'classic' ? { [IMAGE_BUILDER_LABEL]: 'classic' } : {}),
    },
    // A cache_to registry reference is pushed after the build, so the image carries that name too.
    tags: [...new Set([reference, ...(build.tags ?? []), ...(builder === 'buildkit' ? cacheExports(build) : [])])],
    ...(overrides.noCache || build.no_cache ? { noCache: true } : {}),
    ...(overrides.pull || build.pull ? { pull: true } : {}),
    ...(platform !== undefined ? { platform } : {}),
    ...(build.network !== undefined ? { network: build.network } : {}),
    ...(build.extra_hosts !== undefined ? { extraHosts: build.extra_hosts.map(toEngineExtraHost) } : {}),
    ...(build.shm_size !== undefined ? { shmSize: build.shm_size } : {}),
    ...(cacheFrom.length > 0 ? { cacheFrom } : {}),
    ...(build.ulimits !== undefined
      ? { ulimits: Object.entries(build.ulimits).map(([name, limit]) => ({ Name: name, Soft: limit.soft ?? limit.single ?? 0, Hard: limit.hard ?? limit.single ?? 0 })) }
      : {}),
    ...(build.isolation !== undefined && builder === 'classic' ? { isolation: build.isolation } : {}),
    ...(overrides.memory !== undefined && builder === 'classic' ? { memory: overrides.memory } : {}),
    ...(builder === 'buildkit' ? { builder } : {}),
  };
  return spec;
}
