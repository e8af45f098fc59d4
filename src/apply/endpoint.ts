/**
 * Finds the engine the way the Docker CLI does, so `tscompose` and `docker` always talk to the same
 * daemon: `DOCKER_HOST` wins, then `DOCKER_CONTEXT`, then `currentContext` in the CLI's config file,
 * then the default socket. dockerode knows none of this (it reads DOCKER_HOST only, and treats only
 * `DOCKER_TLS_VERIFY=1` as TLS), so the resolution lives here and dockerode gets explicit options.
 *
 * Every endpoint records where it came from, because "cannot connect to tcp://10.0.0.5:2376" is
 * only actionable when the user also learns that a forgotten `docker context use` chose it.
 */
import type * as Crypto from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Why this endpoint was chosen. */
export type EndpointOrigin =
  | { readonly kind: 'DOCKER_HOST' }
  | {
      readonly kind: 'context';
      readonly context: string;
      /** `DOCKER_CONTEXT`, or the config file whose `currentContext` named it. */
      readonly selectedBy: 'DOCKER_CONTEXT' | 'config';
      readonly configFile: string;
    }
  | { readonly kind: 'default' };

/** TLS material, read eagerly so that a missing file is reported before any connection attempt. */
export interface TlsSettings {
  /** PEM text; absent when the context has no CA (the system roots are used then). */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** False only when the user asked for it: a context's SkipTLSVerify, or DOCKER_TLS without DOCKER_TLS_VERIFY. */
  readonly verify: boolean;
}

interface EndpointBase {
  /** Normalised URL, as the Docker CLI prints it: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  readonly url: string;
  readonly origin: EndpointOrigin;
}

export interface UnixEndpoint extends EndpointBase {
  readonly kind: 'unix';
  readonly socketPath: string;
}

export interface TcpEndpoint extends EndpointBase {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
  /** Absent = plain HTTP. */
  readonly tls?: TlsSettings;
}

export interface SshEndpoint extends EndpointBase {
  readonly kind: 'ssh';
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
  /** Engine socket on the remote machine (the URL's path), when not the remote CLI's default. */
  readonly remoteSocket?: string;
}

export type EngineEndpoint = UnixEndpoint | TcpEndpoint | SshEndpoint;

export interface ResolvedEndpoint {
  readonly endpoint: EngineEndpoint;
  /** Things the user should know but that do not stop the command (plaintext TCP to another host). */
  readonly warnings: readonly string[];
}

export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
/** The Docker CLI's default when TLS is on and DOCKER_HOST is unset. */
const DEFAULT_TLS_HOST = 'tcp://localhost:2376';
/** The Docker CLI fills in 2375 for a `tcp://` address without a port, even with TLS on. */
const DEFAULT_TCP_PORT = 2375;

/** The setting at fault, for error messages: `DOCKER_HOST=tcp://x`, `Docker context "x" (set by DOCKER_CONTEXT)`. */
function describeSetting(origin: EndpointOrigin, env: Env): string {
  switch (origin.kind) {
    case 'DOCKER_HOST':
      return `DOCKER_HOST=${env.DOCKER_HOST}`;
    case 'context':
      return origin.selectedBy === 'DOCKER_CONTEXT'
        ? `Docker context "${origin.context}" (set by DOCKER_CONTEXT)`
        : `Docker context "${origin.context}" (the current context in ${origin.configFile})`;
    case 'default':
      return 'the default engine endpoint';
  }
}

/** "(from DOCKER_HOST)", "(from Docker context "remote", set by DOCKER_CONTEXT)", ... */
export function describeOrigin(origin: EndpointOrigin): string {
  switch (origin.kind) {
    case 'DOCKER_HOST':
      return 'from DOCKER_HOST';
    case 'context':
      return origin.selectedBy === 'DOCKER_CONTEXT'
        ? `from Docker context "${origin.context}", set by DOCKER_CONTEXT`
        : `from Docker context "${origin.context}", the current context in ${origin.configFile}`;
    case 'default':
      return 'the default; DOCKER_HOST and DOCKER_CONTEXT are not set';
  }
}

/** `unix:///var/run/docker.sock (from DOCKER_HOST)`: what error messages and `--verbose` show. */
export function describeEndpoint(endpoint: EngineEndpoint): string {
  return `${endpoint.url} (${describeOrigin(endpoint.origin)})`;
}

/**
 * TLS switches from the environment, parsed like the Docker CLI: any non-empty DOCKER_TLS_VERIFY
 * (even "0" or "false") turns TLS on *with* verification, and DOCKER_TLS turns it on without.
 * Treating "0" as "off" would silently downgrade a connection the user believes is protected.
 */
export function tlsModeFromEnv(env: Env): { readonly enabled: boolean; readonly verify: boolean } {
  const verify = (env.DOCKER_TLS_VERIFY ?? '') !== '';
  const enabled = verify || (env.DOCKER_TLS ?? '') !== '';
  return { enabled, verify };
}

/** The directory name the Docker CLI stores a context under: hex SHA-256 of its name. */
export function contextStorageKey(name: string): string {
  // Loaded here: every command finds its engine, few through a named context, and crypto is a sizeable load.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return createHash('sha256').update(name).digest('hex');
}

/** `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: Env): string {
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  return join(env.HOME || homedir(), '.docker');
}

export type ParsedHost =
  | { readonly kind: 'unix'; readonly url: string; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly url: string; readonly host: string; readonly port: number }
  | {
      readonly kind: 'ssh';
      readonly url: string;
      readonly host: string;
      readonly user?: string;
      readonly port?: number;
      readonly remoteSocket?: string;
    };

/**
 * Parses a DOCKER_HOST value (or a context's `Host`) the way the Docker CLI does: empty means the
 * default socket (or `tcp://localhost:2376` when TLS is on), no scheme means `tcp://`. Throws a
 * plain `Error` whose message the caller prefixes with where the value came from.
 */
export function parseDockerHost(value: string, tlsEnabled: boolean): ParsedHost {
  let host = value.trim();
  if (host === '') host = tlsEnabled ? DEFAULT_TLS_HOST : `unix://${DEFAULT_UNIX_SOCKET}`;
  const separator = host.indexOf('://');
  const scheme = separator < 0 ? 'tcp' : host.slice(0, separator).toLowerCase();
  const rest = separator < 0 ? host : host.slice(separator + 3);
  switch (scheme) {
    case 'unix': {
      const socketPath = rest === '' ? DEFAULT_UNIX_SOCKET : rest;
      if (!socketPath.startsWith('/')) throw new Error(`"${value}" is not valid: a unix socket path must be absolute`);
      return { kind: 'unix', url: `unix://${socketPath}`, socketPath };
    }
    case 'tcp':
      return parseTcp(value, rest);
    case 'ssh':
      return parseSsh(value, rest);
    case 'npipe':
      throw new Error(
        `"${value}" is a Windows named pipe, which does not exist on ${process.platform}: ` +
          `use unix://${DEFAULT_UNIX_SOCKET}, tcp://HOST:PORT or ssh://USER@HOST`,
      );
    default:
      throw new Error(`"${value}" has the unsupported scheme "${scheme}://": use unix://, tcp:// or ssh://`);
  }
}

function parseTcp(value: string, rest: string): ParsedHost {
  let url: URL;
  try {
    url = new URL(`tcp://${rest}`);
  } catch {
    throw new Error(`"${value}" is not a valid address: expected tcp://HOST:PORT`);
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    throw new Error(`"${value}" is not supported: a tcp:// address must not have a path or query`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(`"${value}" is not supported: a tcp:// address must not contain credentials`);
  }
  const host = url.hostname === '' ? 'localhost' : url.hostname;
  const port = url.port === '' ? DEFAULT_TCP_PORT : Number(url.port);
  return { kind: 'tcp', url: `tcp://${host}:${port}`, host: host.replace(/^\[(.*)\]$/, '$1'), port };
}

function parseSsh(value: string, rest: string): ParsedHost {
  let url: URL;
  try {
    url = new URL(`ssh://${rest}`);
  } catch {
    throw new Error(`"${value}" is not a valid address: expected ssh://[USER@]HOST[:PORT]`);
  }
  if (url.password !== '') throw new Error(`"${value}" is not supported: ssh:// addresses must not contain a password`);
  if (url.search !== '' || url.hash !== '') throw new Error(`"${value}" is not supported: ssh:// addresses take no query`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error(`"${value}" is not valid: the ssh:// address has no host`);
  // ssh would read a host starting with "-" as an option (e.g. -oProxyCommand=...): never pass one.
  if (host.startsWith('-')) throw new Error(`"${value}" is not valid: an ssh host must not start with "-"`);
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  if (user?.startsWith('-')) throw new Error(`"${value}" is not valid: an ssh user must not start with "-"`);
  const port = url.port === '' ? undefined : Number(url.port);
  const path = decodeURIComponent(url.pathname);
  // The path becomes part of the command line the remote shell runs: allow plain paths only.
  if (path !== '' && !/^\/[\w./-]*$/.test(path)) {
    throw new Error(`"${value}" is not supported: the remote socket path may only contain letters, digits, ".", "_", "-" and "/"`);
  }
  return {
    kind: 'ssh',
    url: `ssh://${user ? `${user}@` : ''}${url.hostname}${port ? `:${port}` : ''}${path}`,
    host,
    ...(user ? { user } : {}),
    ...(port ? { port } : {}),
    ...(path !== '' && path !== '/' ? { remoteSocket: path } : {}),
  };
}

/** True for addresses that never leave this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

function readPem(dir: string, file: string): string | undefined {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * TLS material for the default context, like the Docker CLI: `ca.pem` must exist in
 * DOCKER_CERT_PATH (default: the config dir); `cert.pem` and `key.pem` are optional but go together.
 */
export function tlsFromEnv(env: Env, where: string): TlsSettings | undefined {
  const mode = tlsModeFromEnv(env);
  if (!mode.enabled) return undefined;
  const dir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  const why = (env.DOCKER_TLS_VERIFY ?? '') !== '' ? `DOCKER_TLS_VERIFY is set` : `DOCKER_TLS is set`;
  const ca = readPem(dir, 'ca.pem');
  if (ca === undefined) {
    throw badEndpoint(
      `${where}: TLS is on (${why}) but ${join(dir, 'ca.pem')} does not exist. ` +
        `Put ca.pem (and cert.pem, key.pem) there, or point DOCKER_CERT_PATH at the directory that holds them.`,
    );
  }
  return withClientCertificate({ ca, verify: mode.verify }, dir, where);
}

function withClientCertificate(base: TlsSettings, dir: string, where: string): TlsSettings {
  const cert = readPem(dir, 'cert.pem');
  const key = readPem(dir, 'key.pem');
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? 'cert.pem' : 'key.pem';
    throw badEndpoint(`${where}: ${join(dir, missing)} does not exist, but a client certificate needs both cert.pem and key.pem.`);
  }
  return { ...base, ...(cert !== undefined ? { cert, key } : {}) };
}

function badEndpoint(message: string, cause?: unknown): EngineError {
  return new EngineError(message, { operation: 'resolve engine endpoint', kind: 'bad-endpoint', cause });
}

interface ContextMeta {
  readonly host: string;
  readonly skipTlsVerify: boolean;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function readContextMeta(configDir: string, name: string, where: string): ContextMeta {
  const metaFile = join(configDir, 'contexts', 'meta', contextStorageKey(name), 'meta.json');
  if (!existsSync(metaFile)) {
    throw badEndpoint(`${where}: the context does not exist (no ${metaFile}). Run "docker context ls" to list the contexts.`);
  }
  let meta: unknown;
  try {
    meta = readJson(metaFile);
  } catch (error) {
    throw badEndpoint(`${where}: ${metaFile} is not valid JSON (${(error as Error).message}).`, error);
  }
  const docker = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } })?.Endpoints?.docker;
  if (!docker || typeof docker.Host !== 'string') {
    throw badEndpoint(`${where}: ${metaFile} has no Docker endpoint (Endpoints.docker.Host).`);
  }
  return { host: docker.Host, skipTlsVerify: docker.SkipTLSVerify === true };
}

/** Which setting picks the endpoint, in the Docker CLI's order: DOCKER_HOST, DOCKER_CONTEXT, currentContext. */
function selectContext(env: Env, configFile: string, warnings: string[]): EndpointOrigin {
  if (env.DOCKER_HOST) return { kind: 'DOCKER_HOST' };
  if (env.DOCKER_CONTEXT) return { kind: 'context', context: env.DOCKER_CONTEXT, selectedBy: 'DOCKER_CONTEXT', configFile };
  if (!existsSync(configFile)) return { kind: 'default' };
  let config: unknown;
  try {
    config = readJson(configFile);
  } catch (error) {
    // The Docker CLI warns and carries on with defaults; do the same rather than refuse to work.
    warnings.push(`${configFile} is not valid JSON (${(error as Error).message}); ignoring its currentContext`);
    return { kind: 'default' };
  }
  const current = (config as { currentContext?: unknown })?.currentContext;
  if (typeof current === 'string' && current !== '') {
    return { kind: 'context', context: current, selectedBy: 'config', configFile };
  }
  return { kind: 'default' };
}

/**
 * Resolves the engine endpoint from an environment map (pass `ctx.env`). Throws an `EngineError`
 * of kind `bad-endpoint` naming the variable, context or file at fault.
 */
export function resolveEndpoint(env: Env): ResolvedEndpoint {
  const warnings: string[] = [];
  const configDir = dockerConfigDir(env);
  const configFile = join(configDir, 'config.json');
  const origin = selectContext(env, configFile, warnings);
  const where = describeSetting(origin, env);

  let host: string;
  let tls: TlsSettings | undefined;
  if (origin.kind === 'context' && origin.context !== 'default') {
    const meta = readContextMeta(configDir, origin.context, where);
    host = meta.host;
    tls = contextTls(configDir, origin.context, meta, where);
  } else {
    // The default context: DOCKER_HOST (or the default socket) with TLS from the environment.
    host = env.DOCKER_HOST ?? '';
    tls = tlsFromEnv(env, where);
  }

  let parsed: ParsedHost;
  try {
    parsed = parseDockerHost(host, tls !== undefined);
  } catch (error) {
    throw badEndpoint(`${where}: ${(error as Error).message}`, error);
  }

  const endpoint: EngineEndpoint =
    parsed.kind === 'tcp' ? { ...parsed, origin, ...(tls ? { tls } : {}) } : { ...parsed, origin };
  if (endpoint.kind === 'tcp' && !endpoint.tls && !isLoopbackHost(endpoint.host)) {
    warnings.push(
      `${endpoint.url} (${describeOrigin(origin)}) is a plaintext connection to another machine: anyone on the ` +
        'network path can read and control this engine. Use TLS (DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH) or ssh://.',
    );
  }
  if (endpoint.kind === 'tcp' && endpoint.tls && !endpoint.tls.verify) {
    warnings.push(`${endpoint.url} (${describeOrigin(origin)}): TLS certificate verification is off.`);
  }
  return { endpoint, warnings };
}

/** A context's TLS: on when it stores any TLS file or skips verification (the Docker CLI's rule). */
function contextTls(configDir: string, name: string, meta: ContextMeta, where: string): TlsSettings | undefined {
  const dir = join(configDir, 'contexts', 'tls', contextStorageKey(name), 'docker');
  const ca = readPem(dir, 'ca.pem');
  const withCert = withClientCertificate({ ...(ca !== undefined ? { ca } : {}), verify: !meta.skipTlsVerify }, dir, where);
  const hasMaterial = ca !== undefined || withCert.cert !== undefined;
  return hasMaterial || meta.skipTlsVerify ? withCert : undefined;
}
