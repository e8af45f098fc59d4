/**
 * A service's `build:` section as a request to the engine's classic builder (`POST /build`, the
 * context sent as a tar that honours .dockerignore). The classic builder cannot do what needs a
 * BuildKit session (secrets, ssh agents, extra named contexts, cache export): those attributes are
 * reported by name, as errors when the image would come out wrong without them and as warnings
 * when they only make the build slower or less isolated.
 */
import { LABEL } from '../model/labels.js';
import { isRemoteContext } from '../model/paths.js';
import type { Build, Project, Service } from '../model/types.js';
import { toEngineExtraHost } from './container-spec.js';
import type { BuildSpec } from './engine.js';

/** Set on every image tscompose builds, as Compose does for its classic builder. */
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
}

export interface BuildSupport {
  /** The build cannot be done right without these; nothing is built. */
  readonly errors: readonly string[];
  /** Ignored attributes; the build goes ahead. */
  readonly warnings: readonly string[];
}

const NEEDS_BUILDKIT = "needs BuildKit, which tscompose's classic builder cannot drive";

/** What the classic builder cannot honour in a service's build section. */
export function checkBuildSupport(service: Service): BuildSupport {
  const build = service.build;
  if (build === undefined) return { errors: [], warnings: [] };
  const where = `service "${service.name}"`;
  const errors: string[] = [];
  const warnings: string[] = [];
  if (isRemoteContext(build.context)) {
    errors.push(`${where}: build.context ${build.context} is a remote (git or URL) context, which tscompose cannot build yet; clone it and use a local directory`);
  }
  const fatal: [keyof Build, string][] = [
    ['secrets', 'build.secrets'],
    ['ssh', 'build.ssh'],
    ['additional_contexts', 'build.additional_contexts'],
  ];
  for (const [key, name] of fatal) {
    if (isSet(build[key])) {
      errors.push(`${where}: ${name} ${NEEDS_BUILDKIT}; remove it, or build the image with \`docker buildx build\` and tag it ${service.image ?? 'as the service image'}`);
    }
  }
  if ((build.platforms?.length ?? 0) > 1) {
    errors.push(`${where}: build.platforms lists ${build.platforms!.length} platforms; the classic builder builds one (set service.platform or keep one entry)`);
  }
  const ignored: [keyof Build, string][] = [
    ['cache_to', 'build.cache_to'],
    ['privileged', 'build.privileged'],
    ['ulimits', 'build.ulimits'],
    ['isolation', 'build.isolation'],
  ];
  for (const [key, name] of ignored) {
    if (isSet(build[key])) warnings.push(`${where}: ${name} ${NEEDS_BUILDKIT}; it is ignored`);
  }
  return { errors, warnings };
}

/** The engine request for one service's image, tagged `reference` plus `build.tags`. */
export function toBuildSpec(
  project: Project,
  service: Service,
  reference: string,
  toolVersion: string,
  overrides: BuildOverrides = {},
): BuildSpec {
  const build = service.build;
  if (build === undefined) throw new Error(`service "${service.name}" has no build section`);
  const args = { ...(build.args ?? {}), ...(overrides.args ?? {}) };
  const platform = service.platform ?? (build.platforms?.length === 1 ? build.platforms[0] : undefined) ?? overrides.defaultPlatform;
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
      [IMAGE_BUILDER_LABEL]: 'classic',
    },
    tags: [...new Set([reference, ...(build.tags ?? [])])],
    ...(overrides.noCache || build.no_cache ? { noCache: true } : {}),
    ...(overrides.pull || build.pull ? { pull: true } : {}),
    ...(platform !== undefined ? { platform } : {}),
    ...(build.network !== undefined ? { network: build.network } : {}),
    ...(build.extra_hosts !== undefined ? { extraHosts: build.extra_hosts.map(toEngineExtraHost) } : {}),
    ...(build.shm_size !== undefined ? { shmSize: build.shm_size } : {}),
    ...(build.cache_from !== undefined ? { cacheFrom: build.cache_from } : {}),
  };
  return spec;
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
