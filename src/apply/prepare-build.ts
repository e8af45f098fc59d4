/**
 * Everything one service's build needs beyond the mapping of its `build:` section (build-spec.ts),
 * gathered just before it runs, and released right after:
 *
 * - build secrets, from the project's `secrets:` (a file, or an environment variable's value);
 * - ssh agents for `build.ssh` and `--ssh` (ssh-agents.ts);
 * - extra named contexts (`additional_contexts`): `docker-image://ref` and `service:NAME` (NAME's
 *   image, built first) become stages `FROM ref AS name` added to the Dockerfile; a directory is
 *   first made into a throw-away image (`FROM scratch`, `COPY . /`), which works the same way.
 *   The engine's own Dockerfile frontend (Engine 20.10) knows no named contexts, so this is how
 *   they work on it, with either builder.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EngineError } from '../errors.js';
import { LABEL } from '../model/labels.js';
import { isRemoteContext } from '../model/paths.js';
import type { Project, Service } from '../model/types.js';
import { readIgnoreFile } from './build-context.js';
import { toBuildSpec, type BuildOverrides } from './build-spec.js';
import { buildkitOnlyFeatures, stageNames, withContextStages } from './dockerfile-text.js';
import type { Builder, BuildSecretSource, BuildSpec, CredentialLookup, Engine } from './engine.js';
import { startSshAgents } from './ssh-agents.js';

export interface PrepareOptions {
  readonly builder: Builder;
  readonly toolVersion: string;
  readonly overrides: BuildOverrides;
  /** The project's environment: build secrets from `environment:`, SSH_AUTH_SOCK. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The image each service runs (`service:NAME` contexts). */
  readonly imageOf: (service: string) => string;
  readonly credentials?: CredentialLookup;
  readonly signal?: AbortSignal;
}

export interface PreparedBuild {
  readonly spec: BuildSpec;
  /** Stops ssh agents and removes throw-away context images. */
  release(): Promise<void>;
}

/** The Dockerfile's text, or undefined for a remote context (the engine fetches it). */
export async function dockerfileText(service: Service): Promise<string | undefined> {
  const build = service.build!;
  if (build.dockerfile_inline !== undefined) return build.dockerfile_inline;
  if (isRemoteContext(build.context)) return undefined;
  const path = resolve(build.context, build.dockerfile ?? 'Dockerfile');
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EngineError(`service "${service.name}": cannot read the Dockerfile ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      operation: 'build image',
    });
  }
}

/** Why the classic builder cannot build this Dockerfile; undefined when it can. */
export async function classicBuilderProblem(service: Service, reason: string): Promise<string | undefined> {
  const text = await dockerfileText(service);
  const features = text === undefined ? [] : buildkitOnlyFeatures(text);
  if (features.length === 0) return undefined;
  return `service "${service.name}": the Dockerfile needs BuildKit (it uses ${features.join(', ')}), and ${reason}`;
}

function secretSources(project: Project, service: Service, environment: PrepareOptions['environment']): BuildSecretSource[] {
  return (service.build?.secrets ?? []).map((reference) => {
    const definition = project.secrets[reference.source];
    const id = reference.target ?? reference.source;
    const where = `service "${service.name}": build secret "${reference.source}"`;
    if (!definition) throw new EngineError(`${where} is not defined in the top-level secrets`, { operation: 'build image' });
    if (definition.file !== undefined) return { id, file: definition.file };
    if (definition.environment !== undefined) {
      const value = environment[definition.environment];
      if (value === undefined) throw new EngineError(`${where} reads the environment variable ${definition.environment}, which is not set`, { operation: 'build image' });
      return { id, value };
    }
    if (definition.content !== undefined) return { id, value: definition.content };
    throw new EngineError(`${where}: build.secrets only supports environment or file-based secrets`, { operation: 'build image' });
  });
}

/** A name safe in an image reference. */
function refPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
}

export async function prepareBuild(engine: Engine, project: Project, service: Service, reference: string, options: PrepareOptions): Promise<PreparedBuild> {
  const build = service.build!;
  let spec = toBuildSpec(project, service, reference, options.toolVersion, options.overrides, options.builder);
  const releases: (() => Promise<void>)[] = [];
  const release = async (): Promise<void> => {
    for (const step of releases.reverse()) await step().catch(() => undefined);
  };
  try {
    const secrets = secretSources(project, service, options.environment);
    if (secrets.length > 0) spec = { ...spec, secrets };

    const ssh = [...(build.ssh ?? []), ...(options.overrides.ssh ?? [])];
    if (ssh.length > 0 && options.builder === 'buildkit') {
      const agents = await startSshAgents(ssh, options.environment, service.name);
      releases.push(async () => agents.stop());
      spec = { ...spec, sshAgents: agents.sockets };
    }

    const contexts = Object.entries(build.additional_contexts ?? {});
    if (contexts.length > 0) {
      const text = await dockerfileText(service);
      if (text === undefined) throw new EngineError(`service "${service.name}": build.additional_contexts cannot be used with a remote context`, { operation: 'build image' });
      const stages = new Set(stageNames(text));
      const images: Record<string, string> = {};
      for (const [name, location] of contexts) {
        const stage = name.toLowerCase();
        if (stages.has(stage)) {
          throw new EngineError(`service "${service.name}": build.additional_contexts.${name} has the name of a stage of the Dockerfile; rename one of them`, { operation: 'build image' });
        }
        if (location.startsWith('docker-image://')) images[stage] = location.slice('docker-image://'.length);
        else if (location.startsWith('service:')) images[stage] = options.imageOf(location.slice('service:'.length));
        else {
          const tag = `tscompose-context/${refPart(project.name)}-${refPart(service.name)}-${refPart(name)}:latest`;
          await engine.buildImage(
            {
              context: location,
              dockerfileInline: 'FROM scratch\nCOPY . /\n',
              tags: [tag],
              labels: { [LABEL.project]: project.name, [LABEL.service]: service.name },
              ...(options.builder === 'buildkit' ? { builder: 'buildkit' as const } : {}),
            },
            { signal: options.signal },
          );
          releases.push(() => engine.removeImage(tag));
          images[stage] = tag;
        }
      }
      const dockerfile = build.dockerfile_inline === undefined ? resolve(build.context, build.dockerfile ?? 'Dockerfile') : undefined;
      // The Dockerfile goes inline now; its own ignore file must still apply.
      const ignore = dockerfile !== undefined ? await readIgnoreFile(build.context, dockerfile) : undefined;
      const { dockerfile: _dropped, ...rest } = spec;
      spec = {
        ...rest,
        dockerfileInline: withContextStages(text, images),
        ...(ignore?.path !== undefined && ignore.path !== resolve(build.context, '.dockerignore') ? { ignorePatterns: ignore.patterns } : {}),
      };
    }
    return { spec, release };
  } catch (error) {
    await release();
    throw error;
  }
}
