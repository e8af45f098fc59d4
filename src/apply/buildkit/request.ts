/**
 * A BuildSpec as a BuildKit build through the engine's `/build` endpoint with a client session:
 * the query (`version=2`, `remote=client-session`: the context and the Dockerfile come over the
 * session, not in the request body), what the session serves, and how the engine's progress
 * messages read.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { isRemoteContext } from '../../model/paths.js';
import type { BuildkitStatus, BuildSpec, CredentialLookup } from '../engine.js';
import type { SessionProviders } from './session.js';
import { decodeStatus } from './wire.js';

/** Secrets larger than this are refused, as BuildKit's own client does. */
const MAX_SECRET_BYTES = 500 * 1024;

export interface DockerfileSource {
  /** The directory served as `dockerfile`. */
  readonly dir: SessionProviders['dirs'][string];
  /** The file's name in it (the `dockerfile` query parameter). */
  readonly name: string;
}

export function dockerfileSource(spec: BuildSpec): DockerfileSource {
  if (spec.dockerfileInline !== undefined) return { dir: { files: { Dockerfile: Buffer.from(spec.dockerfileInline) } }, name: 'Dockerfile' };
  const path = resolve(spec.context, spec.dockerfile ?? 'Dockerfile');
  return { dir: { root: dirname(path) }, name: basename(path) };
}

/**
 * What the session serves for one build. The context's ignore patterns, when given, are served as
 * its `.dockerignore`: the engine's Dockerfile frontend reads that file to decide what to ask for.
 */
export function sessionProviders(spec: BuildSpec, credentials: CredentialLookup | undefined): SessionProviders {
  // A remote context (git, HTTP) is fetched by the engine, Dockerfile included.
  const dirs: SessionProviders['dirs'] = isRemoteContext(spec.context)
    ? {}
    : {
        context: {
          root: resolve(spec.context),
          ...(spec.ignorePatterns !== undefined ? { files: { '.dockerignore': Buffer.from(spec.ignorePatterns) } } : {}),
        },
        dockerfile: dockerfileSource(spec).dir,
      };
  return {
    dirs,
    secrets: Object.fromEntries((spec.secrets ?? []).map((secret) => [secret.id, () => readSecret(secret)])),
    ...(spec.sshAgents ? { ssh: spec.sshAgents } : {}),
    ...(credentials ? { credentials: (host: string) => credentials.forHost(host) } : {}),
  };
}

async function readSecret(secret: { id: string; file?: string; value?: string }): Promise<Buffer> {
  const data = secret.file !== undefined ? await readFile(secret.file) : Buffer.from(secret.value ?? '');
  if (data.length > MAX_SECRET_BYTES) throw new Error(`is ${data.length} bytes, more than the ${MAX_SECRET_BYTES} a build secret may have`);
  return data;
}

/**
 * The cache key of transfers from this machine's copy of the context: the same directory gets the
 * same key, so the engine asks only for files that changed since the last build.
 */
export function sessionSharedKey(context: string): string {
  return createHash('sha256').update(`${hostname()}:${resolve(context)}`).digest('hex');
}

/** The `/build` query; values docker-modem would mangle (JSON lists) are given as strings. */
export function buildkitQuery(spec: BuildSpec, ids: { readonly session: string; readonly build: string }): Record<string, unknown> {
  const query: Record<string, unknown> = {
    version: '2',
    session: ids.session,
    remote: isRemoteContext(spec.context) ? spec.context : 'client-session',
    buildid: ids.build,
    dockerfile: isRemoteContext(spec.context) ? (spec.dockerfile ?? 'Dockerfile') : dockerfileSource(spec).name,
    t: [...spec.tags],
    buildargs: spec.args ?? {},
    labels: spec.labels ?? {},
  };
  if (spec.target !== undefined) query.target = spec.target;
  if (spec.noCache) query.nocache = true;
  if (spec.pull) query.pull = true;
  if (spec.platform !== undefined) query.platform = spec.platform;
  if (spec.network !== undefined) query.networkmode = spec.network;
  if (spec.extraHosts !== undefined) query.extrahosts = [...spec.extraHosts];
  if (spec.shmSize !== undefined) query.shmsize = spec.shmSize;
  if (spec.cacheFrom !== undefined) query.cachefrom = JSON.stringify(spec.cacheFrom);
  if (spec.ulimits !== undefined) query.ulimits = JSON.stringify(spec.ulimits);
  return query;
}

/** Decodes one `moby.buildkit.trace` aux value (base64 of a StatusResponse); undefined when it cannot. */
export function decodeTrace(aux: unknown): BuildkitStatus | undefined {
  if (typeof aux !== 'string') return undefined;
  try {
    return decodeStatus(Buffer.from(aux, 'base64'));
  } catch {
    return undefined; // a newer engine's message we cannot read: progress only, never fatal
  }
}
