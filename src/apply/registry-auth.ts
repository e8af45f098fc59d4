/**
 * Registry credentials, read the way the Docker CLI reads them, so `docker login` is all a user
 * has to do: `config.json` in DOCKER_CONFIG (default `~/.docker`), its `auths` entries (`auth`
 * = base64 of `user:password`, or an `identitytoken`), and credential helpers
 * (`credHelpers` per registry, `credsStore` for all): `docker-credential-<name> get` with the
 * server address on stdin. Docker Hub is `https://index.docker.io/v1/` in that file, whatever the
 * engine calls it. Nothing read here is ever printed; a broken helper is reported by name only.
 */
import type * as ChildProcesses from 'node:child_process';
import { readFile } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../errors.js';
import type { CredentialLookup, RegistryCredential } from './engine.js';

export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

interface ConfigFile {
  readonly auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  readonly credsStore?: string;
  readonly credHelpers?: Record<string, string>;
}

/** `https://host:5000/v2/` -> `host:5000`, as the CLI compares config keys with registries. */
export function registryHostname(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0];
}

/** The registry of an image reference: `127.0.0.1:5000/app:1` -> `127.0.0.1:5000`; Docker Hub's key for `nginx`. */
export function registryOf(reference: string): string {
  const slash = reference.indexOf('/');
  const first = slash < 0 ? '' : reference.slice(0, slash);
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') && !DOCKER_HUB_HOSTS.has(first)) return first;
  return DOCKER_HUB_KEY;
}

/** The config.json key for what the engine asks about (`registry-1.docker.io` is Docker Hub). */
function configKey(host: string): string {
  return DOCKER_HUB_HOSTS.has(registryHostname(host)) || host === DOCKER_HUB_KEY ? DOCKER_HUB_KEY : registryHostname(host);
}

export interface CredentialStoreOptions {
  /** The environment: DOCKER_CONFIG, HOME and PATH (for the helpers). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long a credential helper may take. */
  readonly helperTimeoutMs?: number;
}

export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/** Runs `docker-credential-<helper> get`; undefined when it has nothing for this server. */
function runHelper(helper: string, server: string, options: CredentialStoreOptions): Promise<RegistryCredential | undefined> {
  const program = `docker-credential-${helper}`;
  // Loaded here: most runs never call a helper, and child_process is costly to load.
  const { execFile } = createRequire(import.meta.url)('node:child_process') as typeof ChildProcesses;
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      ['get'],
      { env: { ...options.env } as NodeJS.ProcessEnv, timeout: options.helperTimeoutMs ?? 30_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          // The helpers' own words for "no entry"; anything else is a broken helper.
          if (/credentials not found|not found in native keychain/i.test(`${stdout}`)) return resolve(undefined);
          const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is not installed (not on PATH)' : `it failed (exit ${error.code ?? 'signal'})`;
          return reject(new EngineError(`could not read the credentials for ${server} from ${program}: ${reason}`, { operation: 'read registry credentials' }));
        }
        try {
          const answer = JSON.parse(stdout) as { Username?: string; Secret?: string };
          if (!answer.Secret) return resolve(undefined);
          // "<token>" marks an identity token, which goes without a user name.
          resolve({ username: answer.Username === '<token>' ? '' : (answer.Username ?? ''), secret: answer.Secret });
        } catch {
          reject(new EngineError(`could not read the credentials for ${server} from ${program}: its answer is not JSON`, { operation: 'read registry credentials' }));
        }
      },
    );
    child.stdin?.end(server);
  });
}

function fromAuthEntry(entry: NonNullable<ConfigFile['auths']>[string]): RegistryCredential | undefined {
  if (entry.identitytoken) return { username: '', secret: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, secret: entry.password };
  return undefined;
}

/** fs.readFile as a promise: node:fs/promises would cost a dozen more modules at start-up. */
const readFileAsync = promisify(readFile);

/** The credentials of the user running the command. The config file is read once, when first needed. */
export function dockerCredentials(options: CredentialStoreOptions): CredentialLookup {
  let config: Promise<ConfigFile> | undefined;
  const read = (): Promise<ConfigFile> =>
    (config ??= readFileAsync(join(dockerConfigDir(options.env), 'config.json'), 'utf8').then(
      (text) => {
        try {
          return JSON.parse(text) as ConfigFile;
        } catch {
          throw new EngineError(`${join(dockerConfigDir(options.env), 'config.json')} is not valid JSON; fix it or remove it`, { operation: 'read registry credentials' });
        }
      },
      () => ({}),
    ));
  const cache = new Map<string, Promise<RegistryCredential | undefined>>();

  const lookup = async (key: string): Promise<RegistryCredential | undefined> => {
    const file = await read();
    const helperKey = Object.keys(file.credHelpers ?? {}).find((entry) => configKey(entry) === key);
    if (helperKey !== undefined) return runHelper(file.credHelpers![helperKey], key === DOCKER_HUB_KEY ? DOCKER_HUB_KEY : helperKey, options);
    const authKey = Object.keys(file.auths ?? {}).find((entry) => configKey(entry) === key);
    if (file.credsStore) return runHelper(file.credsStore, authKey ?? key, options);
    return authKey === undefined ? undefined : fromAuthEntry(file.auths![authKey]);
  };

  return {
    forHost(host: string) {
      const key = configKey(host);
      let found = cache.get(key);
      if (!found) {
        found = lookup(key);
        cache.set(key, found);
      }
      return found;
    },
    async all() {
      const file = await read();
      const keys = new Set([...Object.keys(file.auths ?? {}), ...Object.keys(file.credHelpers ?? {})]);
      const entries: [string, RegistryCredential][] = [];
      for (const key of keys) {
        const credential = await this.forHost(key).catch(() => undefined);
        if (credential) entries.push([key, credential]);
      }
      return Object.fromEntries(entries);
    },
  };
}

/** A registry that wants credentials we do not have: say how to give them. */
export async function withLoginHint<T>(reference: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof Error && /no basic auth credentials|unauthorized|authentication required/i.test(error.message) && !/docker login/.test(error.message)) {
      const registry = registryOf(reference);
      error.message = `${error.message} (log in with: docker login ${registry === DOCKER_HUB_KEY ? '' : registry})`.replace(' )', ')');
    }
    throw error;
  }
}
