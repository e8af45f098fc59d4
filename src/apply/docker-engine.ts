/**
 * The Engine interface over dockerode: the only module that imports it. What it adds to dockerode:
 *
 * - the endpoint comes from endpoint.ts (Docker contexts, TLS parsed like the CLI, ssh through the
 *   system client), never from dockerode's own reading of the environment;
 * - a deadline on every call that returns one answer (dockerode has none, so a daemon that
 *   accepts connections and never answers hangs a command forever), and cancellation;
 * - errors mapped to `EngineError` with a plain message, the HTTP status and a kind; a refused or
 *   missing socket names the endpoint and where it came from;
 * - streams (logs, attach, events, pull and build progress) as async iterables of small types.
 */
import Docker from 'dockerode';
import type * as Crypto from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type AgentOptions, STATUS_CODES, type IncomingHttpHeaders, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { inspect } from 'node:util';
import { CancelledError, EngineError, TscomposeError } from '../errors.js';
import { projectContainerFilters, projectLabelFilter } from '../model/labels.js';
import { isRemoteContext } from '../model/paths.js';
import { AsyncQueue } from './async-queue.js';
import { describeEndpoint, type EngineEndpoint } from './endpoint.js';
import {
  type BuildCapabilities,
  type BuildOptions,
  type BuildSpec,
  type CallOptions,
  type ContainerAttachment,
  type ContainerCreateRequest,
  type ContainerDetails,
  type ContainerMount,
  type ContainerStatus,
  type ContainerSummary,
  type EndpointSettings,
  type Engine,
  type EngineEvent,
  type EngineVersion,
  type ExecOptions,
  type ExecResult,
  type ImageSummary,
  type LogLine,
  type LogOptions,
  type NetworkSpec,
  type NetworkSummary,
  type EngineProgress,
  type PushOptions,
  type RegistryCredential,
  type StreamOptions,
  type VolumeSpec,
  type VolumeSummary,
} from './engine.js';
import { SshDialAgent, SshDialError } from './ssh-dial.js';
// The CLI's container commands (a block of their own below).
import { PassThrough } from 'node:stream';
import { LABEL } from '../model/labels.js';
import type {
  ContainerEvent,
  ContainerPathStat,
  ContainerStatsSample,
  ContainerTop,
  ExecProcess,
  InteractiveOptions,
  ProcessStreams,
  TerminalSize,
} from './engine.js';
import { createDockerSwarm, type SwarmRequest } from './docker-swarm.js';
import type { SwarmEngine } from './swarm-engine.js';

export interface DockerEngineOptions {
  /** Deadline for calls that return one answer; default 30 s. */
  readonly timeoutMs?: number;
  /** Deadline for ping; default 5 s, so "no engine" is reported quickly. */
  readonly pingTimeoutMs?: number;
  /** The ssh client for ssh:// endpoints; default `ssh` on PATH. */
  readonly sshCommand?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PING_TIMEOUT_MS = 5_000;
/** The engine answers /build only after it has received the whole context: allow for a slow upload. */
const BUILD_RESPONSE_TIMEOUT_MS = 10 * 60_000;
/** Added to a stop/restart grace period: the engine answers only once the container is down. */
const STOP_MARGIN_MS = 30_000;
/** When no grace period is given, the engine uses the container's own (stop_grace_period). */
const UNKNOWN_GRACE_PERIOD_MS = 10 * 60_000;
/** Docker's grace period for a container created without StopTimeout. */
const DOCKER_DEFAULT_STOP_TIMEOUT_S = 10;

export function createDockerEngine(endpoint: EngineEndpoint, options: DockerEngineOptions = {}): Engine {
  return new DockerEngine(endpoint, options);
}

/** What dockerode/docker-modem and Node's http put on an error. */
interface ClientError extends Error {
  statusCode?: number;
  json?: unknown;
  code?: string;
}

/** One engine call, for deadlines and error messages. */
interface Attempt {
  /** A verb phrase: "start container", "pull image". */
  readonly operation: string;
  readonly resource?: string;
  readonly timeoutMs: number;
}

const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'the socket does not exist',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied (the current user may not use this socket)',
  EPERM: 'permission denied',
  ENOTSOCK: 'the path is not a socket',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be resolved',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the engine closed the connection',
  EPIPE: 'the engine closed the connection',
};

/** A connection the engine closed: said with the transport, since a TLS mismatch looks exactly like this. */
const CLOSED = new Set(['ECONNRESET', 'EPIPE']);

/** How a TCP connection is made, for a closed connection's message: whether TLS was on is the first question. */
function transportNote(endpoint: EngineEndpoint): string {
  if (endpoint.kind !== 'tcp') return '';
  if (endpoint.tls === undefined) {
    return ' (plain HTTP, without TLS: if the engine expects TLS, set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or use a Docker context with TLS)';
  }
  const verify = endpoint.tls.verify ? 'verifying its certificate' : 'without verifying its certificate';
  const client = endpoint.tls.cert === undefined ? 'no client certificate' : 'a client certificate';
  return ` (over TLS, ${verify}, with ${client}: an engine without TLS on this port, or one that refuses the client certificate, closes the connection)`;
}

function isTlsFailure(error: ClientError): boolean {
  const code = error.code ?? '';
  return code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO' || /CERT|SIGNATURE/.test(code);
}

/**
 * A Docker engine (and Podman's Docker API) answers every error with a JSON `{"message": ...}`;
 * anything else (an empty 404, an HTML page) came from a server that is not an engine.
 * docker-modem keeps a body that is not JSON as a Buffer; for streaming calls it keeps no body at
 * all, only the text it read into the message, so there an empty text is the sign.
 */
function isForeignAnswer(error: ClientError): boolean {
  const json = error.json;
  if (Buffer.isBuffer(json)) return true;
  if (json === null || json === undefined) return engineMessage(error) === '';
  return typeof json === 'object' && typeof (json as { message?: unknown }).message !== 'string';
}

/** What a non-engine server answered, for the message: `404 Not Found with an empty body`. */
function describeForeignAnswer(error: ClientError): string {
  const status = `${error.statusCode} ${STATUS_CODES[error.statusCode!] ?? ''}`.trim();
  const body = (Buffer.isBuffer(error.json) ? error.json.toString('utf8') : typeof error.json === 'string' ? error.json : JSON.stringify(error.json ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  if (body === '' || body === '""') return `${status} with an empty body`;
  return `${status}: ${body.length > 80 ? `${body.slice(0, 80)}...` : body}`;
}

/** The engine's own sentence, without docker-modem's "(HTTP code 404) no such container - " prefix. */
function engineMessage(error: ClientError): string {
  const json: unknown = error.json;
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  const message = (json as { message?: unknown } | null | undefined)?.message;
  if (typeof message === 'string') return message.trim();
  return error.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

function cancellation(signal: AbortSignal): Error {
  return signal.reason instanceof TscomposeError ? signal.reason : new CancelledError();
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** dockerode takes an options object with `abortSignal` on these methods; its typings omit it. */
function withSignal<T>(target: object, method: Function): (options: { abortSignal: AbortSignal }) => Promise<T> {
  return method.bind(target) as (options: { abortSignal: AbortSignal }) => Promise<T>;
}

/** Drops undefined values: docker-modem would send `key=` for them. */
function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * docker-modem reads DOCKER_HOST (and with it DOCKER_CERT_PATH, DOCKER_TLS_VERIFY and
 * DOCKER_CLIENT_TIMEOUT) from process.env in its constructor, merges them under explicit options,
 * and can even throw reading certificate files. The endpoint resolved by endpoint.ts must be the
 * only input, so DOCKER_HOST is hidden during the (synchronous) construction.
 */
function withoutDockerHost<T>(create: () => T): T {
  const saved = process.env.DOCKER_HOST;
  delete process.env.DOCKER_HOST;
  try {
    return create();
  } finally {
    if (saved !== undefined) process.env.DOCKER_HOST = saved;
  }
}

/** The Docker CLI's X-Registry-Auth: base64url JSON of the credential (an empty object when anonymous). */
function registryAuthHeader(credential: RegistryCredential | undefined, serverAddress?: string): string {
  const body = !credential
    ? {}
    : credential.username === ''
      ? { identitytoken: credential.secret, ...(serverAddress ? { serveraddress: serverAddress } : {}) }
      : { username: credential.username, password: credential.secret, ...(serverAddress ? { serveraddress: serverAddress } : {}) };
  return Buffer.from(JSON.stringify(body)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** `repo[:tag]` split as the push endpoint wants it (a tag is never taken for a registry port). */
function splitTag(ref: string): { name: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref, tag: 'latest' };
}

/**
 * A kept-alive agent for plain HTTP (a unix socket, or TCP without TLS). The empty server name
 * keeps Node from testing each request's host with net.isIP, whose large IPv6 regular expression
 * costs about 8 ms of a short command's first two requests; only TLS uses a server name.
 */
function plainHttpAgent(): HttpAgent {
  return new HttpAgent({ keepAlive: true, servername: '' } as AgentOptions);
}

class DockerEngine implements Engine {
  readonly description: string;
  private readonly transport: string;
  private readonly docker: Docker;
  private readonly agent: HttpAgent;
  /** Where raw requests (ping headers, session upgrades) go: the endpoint without the agent. */
  private readonly requestBase: RequestOptions;
  private readonly secure: boolean;
  private readonly timeoutMs: number;
  private readonly pingTimeoutMs: number;
  private podman: Promise<boolean> | undefined;

  constructor(endpoint: EngineEndpoint, options: DockerEngineOptions) {
    this.description = describeEndpoint(endpoint);
    this.transport = transportNote(endpoint);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    // Our own agents: kept-alive connections are reused, and close() can release them.
    let modemOptions: Docker.DockerOptions;
    switch (endpoint.kind) {
      case 'unix':
        this.agent = plainHttpAgent();
        modemOptions = { socketPath: endpoint.socketPath };
        break;
      case 'tcp':
        if (endpoint.tls) {
          // Agent options win over request options in Node, so verification cannot be undone per call.
          // No TLS session resumption, as in the Docker CLI: a TLS-terminating proxy that does not
          // resume sessions (socat with client certificates: "session id context uninitialized")
          // aborts the handshake of every connection after the first.
          // node:https (and with it tls and crypto) only for a TLS endpoint: most are a local socket.
          const { Agent: HttpsAgent } = createRequire(import.meta.url)('node:https') as typeof Https;
          this.agent = new HttpsAgent({
            keepAlive: true,
            maxCachedSessions: 0,
            ca: endpoint.tls.ca,
            cert: endpoint.tls.cert,
            key: endpoint.tls.key,
            rejectUnauthorized: endpoint.tls.verify,
          });
        } else {
          this.agent = plainHttpAgent();
        }
        modemOptions = { host: endpoint.host, port: endpoint.port, protocol: endpoint.tls ? 'https' : 'http' };
        break;
      case 'ssh':
        this.agent = new SshDialAgent(endpoint, options.sshCommand);
        // The host name only fills the HTTP Host header: every byte goes through the ssh process.
        modemOptions = { host: 'docker', protocol: 'http' };
        break;
    }
    const agent = this.agent;
    // docker-modem formats every request's options for its debug log, whether or not the log is
    // on, agent and all (util.inspect, showHidden, unlimited depth): with kept-alive sockets in
    // the agent that is 20 kB of text and milliseconds of CPU per request. The agent says its name.
    Object.defineProperty(agent, inspect.custom, { value: () => `[${agent.constructor.name}]` });
    this.secure = modemOptions.protocol === 'https';
    this.requestBase = modemOptions.socketPath !== undefined ? { socketPath: modemOptions.socketPath as string } : { host: modemOptions.host, port: modemOptions.port };
    this.docker = withoutDockerHost(() => new Docker({ ...modemOptions, agent } as Docker.DockerOptions));
  }

  /** A request outside dockerode, for what it does not give: response headers, protocol upgrades. */
  private rawRequest(method: string, path: string, headers: OutgoingHttpHeaders, signal: AbortSignal) {
    // node:https is loaded only for a TLS endpoint (see the constructor).
    const request = this.secure ? (createRequire(import.meta.url)('node:https') as typeof Https).request : httpRequest;
    return request({ ...this.requestBase, agent: this.agent, method, path, headers, signal });
  }

  /** GET with the response's headers and body. */
  private rawGet(path: string, signal: AbortSignal): Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const request = this.rawRequest('GET', path, {}, signal);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  }

  /** POST with `Connection: Upgrade`: the connection the engine hands over (101), else its error. */
  private upgrade(path: string, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const request = this.rawRequest('POST', path, headers, signal);
      request.on('upgrade', (_response, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown = body;
          try {
            json = JSON.parse(body);
          } catch {
            // not JSON: kept as text
          }
          reject(Object.assign(new Error(`(HTTP code ${response.statusCode}) ${body}`), { statusCode: response.statusCode, json }));
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  // -------------------------------------------------------------------------------------------
  // Call plumbing

  /**
   * Runs one call with a deadline and the caller's signal, mapping failures to EngineError. The
   * signal passed to `call` is what dockerode aborts the HTTP request with.
   */
  private async run<T>(attempt: Attempt, options: CallOptions | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const callerSignal = options?.signal;
    if (callerSignal?.aborted) throw cancellation(callerSignal);
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      Number.isFinite(attempt.timeoutMs) && attempt.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, attempt.timeoutMs)
        : undefined;
    const onAbort = (): void => controller.abort();
    callerSignal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await call(controller.signal);
    } catch (error) {
      if (callerSignal?.aborted) throw cancellation(callerSignal);
      throw this.toEngineError(error, attempt, timedOut);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Opens a stream: the deadline covers only the wait for the engine's response; afterwards the
   * stream lives until the engine ends it or the caller's signal aborts (then it is destroyed).
   */
  private async openStream(
    attempt: Attempt,
    signal: AbortSignal | undefined,
    open: (signal: AbortSignal) => Promise<NodeJS.ReadableStream>,
  ): Promise<NodeJS.ReadableStream> {
    const controller = new AbortController();
    let stream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
    // Aborting cancels the request while it waits for the response, and destroys the stream after.
    const onAbort = (): void => {
      controller.abort();
      stream?.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const release = (): void => signal?.removeEventListener('abort', onAbort);
    try {
      stream = (await this.run(attempt, { signal }, (deadline) => {
        // Until the response arrives, the deadline aborts the request too.
        deadline.addEventListener('abort', () => controller.abort(), { once: true });
        return open(controller.signal);
      })) as NodeJS.ReadableStream & { destroy(): void };
      stream.once('close', release);
      stream.once('end', release);
      return stream;
    } catch (error) {
      release();
      throw error;
    }
  }

  private toEngineError(error: unknown, attempt: Attempt, timedOut: boolean): Error {
    if (error instanceof TscomposeError) return error;
    const what = attempt.resource ? `${attempt.operation} ${attempt.resource}` : attempt.operation;
    const details = { operation: attempt.operation, resource: attempt.resource, cause: error };
    if (timedOut) {
      return new EngineError(
        `could not ${what}: the engine at ${this.description} did not answer within ${seconds(attempt.timeoutMs)}`,
        { ...details, kind: 'timeout' },
      );
    }
    const clientError = error as ClientError;
    if (typeof clientError.statusCode === 'number' && clientError.statusCode >= 400 && isForeignAnswer(clientError)) {
      // Not a "not found" of the engine's: nothing may act on it as one (create what is missing, ...).
      return new EngineError(
        `could not ${what}: ${this.description} is not a Docker engine: it answered ${describeForeignAnswer(clientError)}. ` +
          'Point DOCKER_HOST or the Docker context (docker context ls) at a Docker engine',
        { ...details, statusCode: clientError.statusCode, kind: 'bad-endpoint' },
      );
    }
    if (typeof clientError.statusCode === 'number') {
      return new EngineError(`could not ${what}: ${engineMessage(clientError)}`, { ...details, statusCode: clientError.statusCode });
    }
    if (error instanceof SshDialError) {
      return new EngineError(`cannot connect to the Docker engine at ${this.description}: ${error.message}`, { ...details, kind: 'unreachable' });
    }
    if (isTlsFailure(clientError)) {
      return new EngineError(`cannot connect to the Docker engine at ${this.description}: TLS failed: ${clientError.message}`, {
        ...details,
        kind: 'unreachable',
      });
    }
    const reason = clientError.code ? CONNECTION_FAILURES[clientError.code] : undefined;
    if (reason) {
      const transport = CLOSED.has(clientError.code!) ? this.transport : '';
      return new EngineError(`cannot connect to the Docker engine at ${this.description}: ${reason}${transport}. Is the engine running?`, {
        ...details,
        kind: 'unreachable',
      });
    }
    return new EngineError(`could not ${what}: ${clientError.message ?? String(error)}`, details);
  }

  private attempt(operation: string, resource?: string, timeoutMs?: number): Attempt {
    return { operation, resource, timeoutMs: timeoutMs ?? this.timeoutMs };
  }

  private deadline(options: CallOptions | undefined, fallback = this.timeoutMs): number {
    return options?.timeoutMs ?? fallback;
  }

  // -------------------------------------------------------------------------------------------
  // Engine

  async ping(options?: CallOptions): Promise<void> {
    await this.run(this.attempt('reach the engine', undefined, this.deadline(options, this.pingTimeoutMs)), options, (abortSignal) =>
      withSignal<unknown>(this.docker, this.docker.ping)({ abortSignal }),
    );
  }

  async version(options?: CallOptions): Promise<EngineVersion> {
    const info = await this.run(this.attempt('read the engine version', undefined, this.deadline(options)), options, (abortSignal) =>
      withSignal<Docker.DockerVersion>(this.docker, this.docker.version)({ abortSignal }),
    );
    return { version: info.Version, apiVersion: info.ApiVersion, os: info.Os, arch: info.Arch };
  }

  /**
   * Whether the engine is Podman's Docker-compatible service (it names itself "Podman Engine" among
   * the version's components), asked once: a few of its answers differ from Docker's and are
   * evened out here, each where it arises.
   */
  private isPodman(options?: CallOptions): Promise<boolean> {
    this.podman ??= this.run(this.attempt('read the engine version', undefined, this.deadline(options)), options, (abortSignal) =>
      withSignal<Docker.DockerVersion>(this.docker, this.docker.version)({ abortSignal }),
    ).then(
      (info) => (info.Components ?? []).some((component) => component.Name === 'Podman Engine'),
      (error: unknown) => {
        this.podman = undefined;
        throw error;
      },
    );
    return this.podman;
  }

  async listContainers(project: string, options?: CallOptions): Promise<ContainerSummary[]> {
    // Asked side by side (and once per engine), so Docker pays no extra round trip; when the
    // engine cannot be reached, the list's own error is the one reported.
    const [list, podman] = await Promise.all([
      this.run(this.attempt('list containers of project', project, this.deadline(options)), options, (abortSignal) =>
        this.docker.listContainers({ all: true, filters: { label: projectContainerFilters(project) }, abortSignal }),
      ),
      this.isPodman(options).catch(() => false),
    ]);
    const summaries = list.map(toContainerSummary);
    return podman ? summaries.map((summary) => ({ ...summary, image: asWritten(summary.image) })) : summaries;
  }

  async listNetworks(project: string, options?: CallOptions): Promise<NetworkSummary[]> {
    const list = await this.run(this.attempt('list networks of project', project, this.deadline(options)), options, (abortSignal) =>
      this.docker.listNetworks({ filters: { label: [projectLabelFilter(project)] }, abortSignal }),
    );
    return list.map(toNetworkSummary);
  }

  async listVolumes(project: string, options?: CallOptions): Promise<VolumeSummary[]> {
    const list = await this.run(this.attempt('list volumes of project', project, this.deadline(options)), options, (abortSignal) =>
      this.docker.listVolumes({ filters: { label: [projectLabelFilter(project)] }, abortSignal }),
    );
    return (list.Volumes ?? []).map(toVolumeSummary);
  }

  async inspectContainer(idOrName: string, options?: CallOptions): Promise<ContainerDetails> {
    const info = await this.run(this.attempt('inspect container', idOrName, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(idOrName).inspect({ abortSignal }),
    );
    return toContainerDetails(info);
  }

  async inspectNetwork(idOrName: string, options?: CallOptions): Promise<NetworkSummary | undefined> {
    const info = await this.orUndefined(
      this.run(this.attempt('inspect network', idOrName, this.deadline(options)), options, (abortSignal) => {
        const network = this.docker.getNetwork(idOrName);
        return withSignal<Docker.NetworkInspectInfo>(network, network.inspect)({ abortSignal });
      }),
    );
    // The engine also matches id prefixes: a network named "db" must not match id "db90…".
    if (!info || (info.Name !== idOrName && info.Id !== idOrName)) return undefined;
    return toNetworkSummary(info);
  }

  async inspectVolume(name: string, options?: CallOptions): Promise<VolumeSummary | undefined> {
    const info = await this.orUndefined(
      this.run(this.attempt('inspect volume', name, this.deadline(options)), options, (abortSignal) =>
        this.docker.getVolume(name).inspect({ abortSignal }),
      ),
    );
    return info && toVolumeSummary(info);
  }

  async inspectImage(ref: string, options?: CallOptions): Promise<ImageSummary | undefined> {
    const info = await this.orUndefined(
      this.run(this.attempt('inspect image', ref, this.deadline(options)), options, (abortSignal) =>
        this.docker.getImage(ref).inspect({ abortSignal } as Docker.ImageInspectOptions),
      ),
    );
    return info && toImageSummary(info);
  }

  private async orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  async pullImage(ref: string, options: StreamOptions & { readonly platform?: string; readonly credential?: RegistryCredential } = {}): Promise<void> {
    const attempt = this.attempt('pull image', ref);
    const stream = await this.openStream(attempt, options.signal, (abortSignal) =>
      this.docker.pull(ref, {
        ...defined({ platform: options.platform }),
        ...(options.credential ? { authconfig: { key: registryAuthHeader(options.credential) } } : {}),
        abortSignal,
      }) as Promise<NodeJS.ReadableStream>,
    );
    for await (const message of this.jsonLines(stream, attempt, options.signal)) {
      const event = message as { id?: string; status?: string; progressDetail?: { current?: number; total?: number }; error?: string; errorDetail?: { message?: string } };
      const failure = event.errorDetail?.message ?? event.error;
      if (failure) throw new EngineError(`could not pull image ${ref}: ${failure}`, { operation: attempt.operation, resource: ref });
      if (event.status) options.onProgress?.(progress(event.status, event.id, event.progressDetail));
    }
    if (options.signal?.aborted) throw cancellation(options.signal);
  }

  async pushImage(ref: string, options: PushOptions = {}): Promise<void> {
    const attempt = this.attempt('push image', ref);
    const { name, tag } = splitTag(ref);
    const stream = await this.openStream(attempt, options.signal, (abortSignal) =>
      this.dial({
        path: `/images/${name}/push?`,
        method: 'POST',
        options: { tag },
        headers: { 'X-Registry-Auth': registryAuthHeader(options.credential) },
        abortSignal,
        isStream: true,
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      }),
    );
    for await (const message of this.jsonLines(stream, attempt, options.signal)) {
      const event = message as { id?: string; status?: string; progressDetail?: { current?: number; total?: number }; error?: string; errorDetail?: { message?: string } };
      const failure = event.errorDetail?.message ?? event.error;
      if (failure) throw new EngineError(`could not push image ${ref}: ${failure}`, { operation: attempt.operation, resource: ref });
      if (event.status) options.onProgress?.(progress(event.status, event.id, event.progressDetail));
    }
    if (options.signal?.aborted) throw cancellation(options.signal);
  }

  async buildCapabilities(options?: CallOptions): Promise<BuildCapabilities> {
    const [ping, version] = await Promise.all([
      this.run(this.attempt('ask the engine which builders it has', undefined, this.deadline(options)), options, (signal) => this.rawGet('/_ping', signal)),
      this.version(options),
    ]);
    const platform = `${version.os}/${version.arch}`;
    const header = (name: string): string | undefined => {
      const value = ping.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    if (header('libpod-api-version') !== undefined) return { buildkit: false, reason: "Podman's Docker API has only the classic builder", platform };
    if ((header('ostype') ?? version.os) === 'windows') return { buildkit: false, reason: 'a Windows engine has only the classic builder', platform };
    const [major, minor] = (header('api-version') ?? version.apiVersion).split('.').map(Number);
    if (major < 1 || (major === 1 && minor < 39)) {
      return { buildkit: false, reason: `Docker Engine API ${version.apiVersion} is older than BuildKit's (1.39, Engine 18.09)`, platform };
    }
    return { buildkit: true, platform, apiVersion: version.apiVersion };
  }

  async buildImage(spec: BuildSpec, options: BuildOptions = {}): Promise<string> {
    const tag = spec.tags[0];
    if (tag === undefined) throw new EngineError('could not build image: no tag given', { operation: 'build image' });
    const attempt = this.attempt('build image', tag, BUILD_RESPONSE_TIMEOUT_MS);
    if (spec.builder === 'buildkit') return this.buildWithBuildkit(spec, options, tag, attempt);
    const registryConfig = options.credentials ? await options.credentials.all() : {};
    // A remote context (git, HTTP) is fetched by the engine: the request has no body.
    const remote = isRemoteContext(spec.context);
    // The packer (tar-stream, the ignore rules) is loaded by the commands that build.
    const { packBuildContext } = await import('./build-context.js');
    const packed = remote ? { archive: Buffer.alloc(0), dockerfile: spec.dockerfile ?? 'Dockerfile' } : await packBuildContext(spec).catch((error: Error) => {
      throw new EngineError(`could not build image ${tag}: ${error.message}`, { operation: attempt.operation, resource: tag, cause: error });
    });
    const query = defined({
      t: [...spec.tags],
      dockerfile: packed.dockerfile,
      buildargs: spec.args,
      labels: spec.labels,
      target: spec.target,
      nocache: spec.noCache,
      pull: spec.pull,
      platform: spec.platform,
      networkmode: spec.network,
      extrahosts: spec.extraHosts ? [...spec.extraHosts] : undefined,
      shmsize: spec.shmSize,
      cachefrom: spec.cacheFrom ? [...spec.cacheFrom] : undefined,
      ulimits: spec.ulimits ? JSON.stringify(spec.ulimits) : undefined,
      isolation: spec.isolation,
      memory: spec.memory,
      rm: true,
      // Also after a failed step: otherwise the classic builder leaves the failed step's
      // container behind, unlabelled, on the user's engine.
      forcerm: true,
      version: '1',
      remote: remote ? spec.context : undefined,
    });
    const registryconfig = Object.fromEntries(
      Object.entries(registryConfig).map(([host, credential]) => [host, credential.username === '' ? { identitytoken: credential.secret } : { username: credential.username, password: credential.secret }]),
    );
    const stream = await this.openStream(attempt, options.signal, (abortSignal) =>
      this.docker.buildImage(packed.archive as never, {
        ...query,
        ...(Object.keys(registryconfig).length > 0 ? { registryconfig: { base64: Buffer.from(JSON.stringify(registryconfig)).toString('base64') } } : {}),
        abortSignal,
      } as Docker.ImageBuildOptions),
    );
    let imageId: string | undefined;
    // Build output comes in fragments ("Step 1/3 : FROM x", then "\n"): reassemble whole lines.
    const output = new LineSplitter((line) => options.onProgress?.({ message: line }));
    for await (const message of this.jsonLines(stream, attempt, options.signal)) {
      const event = message as {
        stream?: string;
        status?: string;
        id?: string;
        progressDetail?: { current?: number; total?: number };
        aux?: { ID?: string };
        error?: string;
        errorDetail?: { message?: string };
      };
      const failure = event.errorDetail?.message ?? event.error;
      if (failure) throw new EngineError(`could not build image ${tag}: ${failure.trim()}`, { operation: attempt.operation, resource: tag });
      if (event.aux?.ID) imageId = event.aux.ID;
      if (event.stream) {
        output.write(Buffer.from(event.stream));
      } else if (event.status) {
        options.onProgress?.(progress(event.status, event.id, event.progressDetail));
      }
    }
    output.flush();
    if (options.signal?.aborted) throw cancellation(options.signal);
    if (imageId) return imageId;
    const image = await this.inspectImage(tag, { signal: options.signal });
    if (!image) throw new EngineError(`could not build image ${tag}: the engine reported no image`, { operation: attempt.operation, resource: tag });
    return image.id;
  }

  /**
   * A BuildKit build: a session serves the context, the Dockerfile, secrets, ssh agents and
   * registry credentials while `POST /build?version=2` runs; it is closed only once the build's
   * response has ended (the engine may read files late). Ctrl-C cancels the build job itself.
   */
  private async buildWithBuildkit(spec: BuildSpec, options: BuildOptions, tag: string, attempt: Attempt): Promise<string> {
    // One after the other: they share modules, and jest's ESM loader fails two racing first loads of one.
    const { createBuildSession } = await import('./buildkit/session.js');
    const request = await import('./buildkit/request.js');
    const session = createBuildSession(request.sessionProviders(spec, options.credentials), {
      name: basename(spec.context),
      sharedKey: request.sessionSharedKey(spec.context),
    });
    // crypto only here: the engine client is loaded by every command, and crypto is a sizeable load.
    const buildId = (createRequire(import.meta.url)('node:crypto') as typeof Crypto).randomUUID();
    const onAbort = (): void => void this.cancelBuild(buildId);
    try {
      const socket = await this.run(this.attempt('open a BuildKit session for', tag), { signal: options.signal }, (signal) =>
        this.upgrade('/session', session.headers, signal),
      );
      // A broken session surfaces as the build's own error; the socket must not crash the process.
      socket.on('error', () => undefined);
      session.serve(socket);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const query = request.buildkitQuery(spec, { session: session.id, build: buildId });
      const stream = await this.openStream(attempt, options.signal, (abortSignal) =>
        this.dial({
          path: '/build?',
          method: 'POST',
          options: query,
          // An empty body: the context comes over the session (remote=client-session).
          file: Buffer.alloc(0),
          abortSignal,
          isStream: true,
          statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        }),
      );
      let imageId: string | undefined;
      for await (const message of this.jsonLines(stream, attempt, options.signal)) {
        const event = message as { id?: string; aux?: unknown; error?: string; errorDetail?: { message?: string } };
        const failure = event.errorDetail?.message ?? event.error;
        if (failure) throw new EngineError(`could not build image ${tag}: ${failure.trim()}`, { operation: attempt.operation, resource: tag });
        if (event.id === 'moby.buildkit.trace') {
          const status = request.decodeTrace(event.aux);
          if (status) options.onBuildkitStatus?.(status);
        } else if (event.id === 'moby.image.id') {
          imageId = (event.aux as { ID?: string } | undefined)?.ID ?? imageId;
        }
      }
      if (options.signal?.aborted) throw cancellation(options.signal);
      if (imageId) return imageId;
      const image = await this.inspectImage(tag, { signal: options.signal });
      if (!image) throw new EngineError(`could not build image ${tag}: the engine reported no image`, { operation: attempt.operation, resource: tag });
      return image.id;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      session.close();
    }
  }

  /** Asks the engine to stop a BuildKit job (closing the request alone leaves its steps running for a while). */
  private async cancelBuild(buildId: string): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5_000);
    try {
      await this.dial({ path: '/build/cancel?', method: 'POST', options: { id: buildId }, abortSignal: controller.signal, isStream: false });
    } catch {
      // The build ends anyway when its connection closes.
    } finally {
      clearTimeout(timer);
    }
  }

  async removeImage(ref: string, options: CallOptions & { readonly force?: boolean } = {}): Promise<void> {
    await this.run(this.attempt('remove image', ref, this.deadline(options)), options, (abortSignal) =>
      this.docker.getImage(ref).remove({ ...defined({ force: options.force }), abortSignal }),
    );
  }

  async createNetwork(spec: NetworkSpec, options?: CallOptions): Promise<string> {
    const body = defined({
      Name: spec.name,
      CheckDuplicate: true,
      Driver: spec.driver,
      Options: spec.driverOpts,
      IPAM: spec.ipam
        ? defined({
            Driver: spec.ipam.driver,
            Options: spec.ipam.options,
            Config: spec.ipam.config?.map((pool) =>
              defined({ Subnet: pool.subnet, IPRange: pool.ipRange, Gateway: pool.gateway, AuxiliaryAddresses: pool.auxAddresses }),
            ),
          })
        : undefined,
      Internal: spec.internal,
      Attachable: spec.attachable,
      EnableIPv6: spec.enableIpv6,
      Labels: spec.labels,
    });
    const network = await this.run(this.attempt('create network', spec.name, this.deadline(options)), options, (abortSignal) =>
      this.docker.createNetwork({ _query: {}, _body: body, abortSignal } as unknown as Docker.NetworkCreateOptions),
    );
    return network.id;
  }

  async removeNetwork(idOrName: string, options?: CallOptions): Promise<void> {
    await this.run(this.attempt('remove network', idOrName, this.deadline(options)), options, (abortSignal) =>
      this.docker.getNetwork(idOrName).remove({ abortSignal }),
    );
  }

  async connectNetwork(network: string, container: string, endpoint?: EndpointSettings, options?: CallOptions): Promise<void> {
    const body = defined({ Container: container, EndpointConfig: endpoint });
    await this.run(this.attempt(`connect container ${container} to network`, network, this.deadline(options)), options, (abortSignal) =>
      this.docker.getNetwork(network).connect({ _query: {}, _body: body, abortSignal } as unknown as Docker.NetworkConnectOptions),
    );
  }

  async disconnectNetwork(network: string, container: string, options: CallOptions & { readonly force?: boolean } = {}): Promise<void> {
    const body = defined({ Container: container, Force: options.force });
    await this.run(this.attempt(`disconnect container ${container} from network`, network, this.deadline(options)), options, (abortSignal) =>
      this.docker.getNetwork(network).disconnect({ _query: {}, _body: body, abortSignal } as {}) as Promise<unknown>,
    );
  }

  async createVolume(spec: VolumeSpec, options?: CallOptions): Promise<VolumeSummary> {
    const body = defined({ Name: spec.name, Driver: spec.driver, DriverOpts: spec.driverOpts, Labels: spec.labels });
    // The engine answers with the volume (an existing one of that name, too): dockerode's
    // createVolume drops that answer, and asking again would add a round trip before every container.
    const created = (await this.run(this.attempt('create volume', spec.name, this.deadline(options)), options, (abortSignal) =>
      this.dial({ path: '/volumes/create?', method: 'POST', options: { _query: {}, _body: body }, abortSignal, isStream: false, statusCodes: { 200: true, 201: true, 500: 'server error' } }),
    )) as unknown as Docker.VolumeInspectInfo | undefined;
    if (!created?.Name) return this.inspectCreatedVolume(spec.name, options);
    return toVolumeSummary(created);
  }

  /** An engine whose create answer holds no volume: ask for it. */
  private async inspectCreatedVolume(name: string, options?: CallOptions): Promise<VolumeSummary> {
    const created = await this.inspectVolume(name, options);
    if (!created) throw new EngineError(`could not create volume ${name}: it vanished right after creation`, { operation: 'create volume', resource: name });
    return created;
  }

  async removeVolume(name: string, options: CallOptions & { readonly force?: boolean } = {}): Promise<void> {
    await this.run(this.attempt('remove volume', name, this.deadline(options)), options, (abortSignal) =>
      this.docker.getVolume(name).remove({ ...defined({ force: options.force }), abortSignal }),
    );
  }

  async createContainer(request: ContainerCreateRequest, options?: CallOptions): Promise<string> {
    // _query/_body keep the configuration (environment included) out of the URL, where
    // dockerode would otherwise copy every field.
    const query = defined({ name: request.name, platform: request.platform });
    let body = request.config;
    // Podman: a create request without StopTimeout stores 0, so a stop without a timeout kills
    // at once. Docker waits 10 s for such a container; say so explicitly.
    if (body.StopTimeout === undefined && (await this.isPodman(options))) body = { ...body, StopTimeout: DOCKER_DEFAULT_STOP_TIMEOUT_S };
    const container = await this.run(this.attempt('create container', request.name, this.deadline(options)), options, (abortSignal) =>
      this.docker.createContainer({ _query: query, _body: body, abortSignal } as unknown as Docker.ContainerCreateOptions),
    );
    return container.id;
  }

  async startContainer(id: string, options?: CallOptions): Promise<void> {
    await this.notModifiedIsDone(
      this.run(this.attempt('start container', id, this.deadline(options)), options, (abortSignal) =>
        this.docker.getContainer(id).start({ abortSignal }),
      ),
    );
  }

  async stopContainer(id: string, options: CallOptions & { readonly timeoutSeconds?: number } = {}): Promise<void> {
    const grace = options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : UNKNOWN_GRACE_PERIOD_MS;
    await this.notModifiedIsDone(
      this.run(this.attempt('stop container', id, this.deadline(options, grace + STOP_MARGIN_MS)), options, (abortSignal) =>
        this.docker.getContainer(id).stop({ ...defined({ t: options.timeoutSeconds }), abortSignal }),
      ),
    );
  }

  async killContainer(id: string, options: CallOptions & { readonly killSignal?: string } = {}): Promise<void> {
    await this.run(this.attempt('kill container', id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).kill({ ...defined({ signal: options.killSignal }), abortSignal }),
    );
  }

  async restartContainer(id: string, options: CallOptions & { readonly timeoutSeconds?: number } = {}): Promise<void> {
    const grace = options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : UNKNOWN_GRACE_PERIOD_MS;
    await this.run(this.attempt('restart container', id, this.deadline(options, grace + STOP_MARGIN_MS)), options, (abortSignal) =>
      this.docker.getContainer(id).restart({ ...defined({ t: options.timeoutSeconds }), abortSignal }),
    );
  }

  async removeContainer(id: string, options: CallOptions & { readonly force?: boolean; readonly volumes?: boolean } = {}): Promise<void> {
    await this.run(this.attempt('remove container', id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).remove({ ...defined({ force: options.force, v: options.volumes }), abortSignal }),
    );
  }

  async renameContainer(id: string, newName: string, options?: CallOptions): Promise<void> {
    await this.run(this.attempt(`rename container ${id} to`, newName, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).rename({ name: newName, abortSignal }),
    );
  }

  /** 304 Not Modified: already started / already stopped, which is what the caller wanted. */
  private async notModifiedIsDone(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (error instanceof EngineError && error.statusCode === 304) return;
      throw error;
    }
  }

  async attachContainer(id: string, options: { readonly stdin?: boolean; readonly signal?: AbortSignal } = {}): Promise<ContainerAttachment> {
    const details = await this.inspectContainer(id, { signal: options.signal });
    const attempt = this.attempt('attach to container', id);
    const detach = new AbortController();
    const onCallerAbort = (): void => detach.abort();
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const stream = await this.openStream(attempt, detach.signal, (abortSignal) =>
      this.docker.getContainer(id).attach({
        stream: true,
        stdout: true,
        stderr: true,
        logs: false,
        ...(options.stdin ? { stdin: true, hijack: true } : {}),
        abortSignal,
      }),
    );
    stream.once('close', () => options.signal?.removeEventListener('abort', onCallerAbort));
    return {
      output: this.outputLines(stream, { multiplexed: !details.tty, timestamps: false }, attempt, detach.signal),
      ...(options.stdin ? { stdin: stream as unknown as NodeJS.WritableStream } : {}),
      detach: () => detach.abort(),
    };
  }

  async waitContainer(
    id: string,
    options: CallOptions & { readonly condition?: 'not-running' | 'next-exit' | 'removed' } = {},
  ): Promise<number> {
    const result = await this.run(this.attempt('wait for container', id, options.timeoutMs ?? Infinity), options, (abortSignal) =>
      this.docker.getContainer(id).wait({ ...defined({ condition: options.condition }), abortSignal }),
    );
    const waited = result as { StatusCode: number; Error?: { Message?: string } | null };
    if (waited.Error?.Message) {
      throw new EngineError(`could not wait for container ${id}: ${waited.Error.Message}`, { operation: 'wait for container', resource: id });
    }
    return waited.StatusCode;
  }

  async *logs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const details = await this.inspectContainer(id, { signal: options.signal });
    const attempt = this.attempt('read logs of container', id);
    const query = defined({
      stdout: true,
      stderr: true,
      follow: options.follow ?? false,
      tail: options.tail === undefined ? undefined : String(options.tail),
      since: options.since,
      until: options.until,
      timestamps: options.timestamps ?? false,
    });
    let stream: NodeJS.ReadableStream;
    try {
      // modem.dial with isStream: dockerode's logs() parses a non-follow answer as JSON when it can.
      stream = await this.openStream(attempt, options.signal, (abortSignal) =>
        this.dial({ path: `/containers/${encodeURIComponent(id)}/logs?`, method: 'GET', options: query, abortSignal, isStream: true }),
      );
    } catch (error) {
      if (error instanceof CancelledError) return;
      throw error;
    }
    yield* this.outputLines(stream, { multiplexed: !details.tty, timestamps: options.timestamps ?? false }, attempt, options.signal);
  }

  private dial(request: {
    path: string;
    method: string;
    options: Record<string, unknown>;
    abortSignal: AbortSignal;
    isStream: boolean;
    file?: Buffer;
    headers?: Record<string, string>;
    statusCodes?: Record<number, true | string>;
  }): Promise<NodeJS.ReadableStream> {
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(
        { statusCodes: { 200: true, 204: true, 404: 'no such container', 500: 'server error' }, ...request } as never,
        (error: unknown, result: unknown) => (error ? reject(error) : resolve(result as NodeJS.ReadableStream)),
      );
    });
  }

  async exec(id: string, options: ExecOptions): Promise<ExecResult> {
    const attempt = this.attempt('run a command in container', id, options.timeoutMs ?? Infinity);
    const container = this.docker.getContainer(id);
    return this.run(attempt, options, async (abortSignal) => {
      const body = defined({
        Cmd: [...options.command],
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        User: options.user,
        WorkingDir: options.workingDir,
        Env: options.env ? [...options.env] : undefined,
        Privileged: options.privileged,
      });
      const exec = await container.exec({ _query: {}, _body: body, abortSignal } as unknown as Docker.ExecCreateOptions);
      const stream = (await exec.start({ _query: {}, _body: { Detach: false, Tty: false }, abortSignal } as unknown as Docker.ExecStartOptions)) as NodeJS.ReadableStream;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        demultiplex(
          stream,
          (chunk) => stdout.push(Buffer.from(chunk)),
          (chunk) => stderr.push(Buffer.from(chunk)),
        );
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      });
      const info = await exec.inspect({ abortSignal });
      return { exitCode: info.ExitCode ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
    });
  }

  async putArchive(id: string, path: string, archive: Buffer | NodeJS.ReadableStream, options?: CallOptions): Promise<void> {
    await this.run(this.attempt(`copy files to ${path} in container`, id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).putArchive(archive as never, { path, abortSignal }),
    );
  }

  async getArchive(id: string, path: string, options?: CallOptions): Promise<Buffer> {
    return this.run(this.attempt(`copy ${path} from container`, id, this.deadline(options)), options, async (abortSignal) => {
      const stream = (await this.docker.getContainer(id).getArchive({ path, abortSignal })) as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
  }

  async *events(project: string, options: { readonly since?: number; readonly signal?: AbortSignal } = {}): AsyncIterable<EngineEvent> {
    const attempt = this.attempt('follow engine events of project', project);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.openStream(attempt, options.signal, (abortSignal) =>
        this.docker.getEvents({
          ...defined({ since: options.since }),
          filters: { label: [projectLabelFilter(project)] },
          abortSignal,
        }) as Promise<NodeJS.ReadableStream>,
      );
    } catch (error) {
      if (error instanceof CancelledError) return;
      throw error;
    }
    for await (const message of this.jsonLines(stream, attempt, options.signal)) {
      const event = message as { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; time?: number; timeNano?: number };
      yield {
        type: event.Type ?? '',
        action: event.Action ?? '',
        id: event.Actor?.ID ?? '',
        attributes: event.Actor?.Attributes ?? {},
        time: event.timeNano ? Math.floor(event.timeNano / 1e6) : (event.time ?? 0) * 1000,
      };
    }
  }

  // -------------------------------------------------------------------------------------------
  // The CLI's container commands (exec, run, attach, cp, top, stats, pause, ls, events)

  async pauseContainer(id: string, options?: CallOptions): Promise<void> {
    await this.run(this.attempt('pause container', id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).pause({ abortSignal }),
    );
  }

  async unpauseContainer(id: string, options?: CallOptions): Promise<void> {
    await this.run(this.attempt('unpause container', id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).unpause({ abortSignal }),
    );
  }

  async listComposeContainers(options: CallOptions & { readonly all?: boolean } = {}): Promise<ContainerSummary[]> {
    const list = await this.run(this.attempt('list the containers of Compose projects', undefined, this.deadline(options)), options, (abortSignal) =>
      this.docker.listContainers({ all: options.all ?? false, filters: { label: [LABEL.project] }, abortSignal }),
    );
    return list.map(toContainerSummary);
  }

  async startExec(id: string, options: ExecOptions & InteractiveOptions & { readonly detach?: boolean }): Promise<ExecProcess> {
    const attempt = this.attempt('run a command in container', id, this.deadline(options));
    const exec = await this.run(attempt, options, (abortSignal) => {
      const body = defined({
        Cmd: [...options.command],
        AttachStdin: options.stdin && !options.detach,
        AttachStdout: !options.detach,
        AttachStderr: !options.detach,
        Tty: options.tty,
        DetachKeys: options.detachKeys,
        User: options.user,
        WorkingDir: options.workingDir,
        Env: options.env ? [...options.env] : undefined,
        Privileged: options.privileged,
      });
      return this.docker.getContainer(id).exec({ _query: {}, _body: body, abortSignal } as unknown as Docker.ExecCreateOptions);
    });
    const exitCode = async (): Promise<number> => {
      const info = await this.run(this.attempt('read the exit code of a command in container', id), {}, (abortSignal) => exec.inspect({ abortSignal }));
      return info.ExitCode ?? 0;
    };
    const resize = async (size: TerminalSize): Promise<void> => {
      if (!options.tty) return;
      await this.run(this.attempt('resize the terminal of a command in container', id), {}, (abortSignal) =>
        exec.resize({ h: size.rows, w: size.columns, abortSignal } as {}),
      ).catch(() => undefined);
    };
    if (options.detach) {
      await this.run(attempt, options, (abortSignal) =>
        exec.start({ _query: {}, _body: { Detach: true, Tty: options.tty }, abortSignal } as unknown as Docker.ExecStartOptions),
      );
      return { ...emptyStreams(), resize, exitCode: async () => 0 };
    }
    const socket = await this.run(attempt, options, (abortSignal) =>
      exec.start({
        hijack: true,
        stdin: options.stdin,
        _query: {},
        _body: { Detach: false, Tty: options.tty },
        abortSignal,
      } as unknown as Docker.ExecStartOptions),
    );
    return { ...this.processStreams(socket as unknown as NodeJS.ReadWriteStream, options), resize, exitCode };
  }

  async attachStreams(id: string, options: InteractiveOptions): Promise<ProcessStreams> {
    const socket = await this.run(this.attempt('attach to container', id), { signal: options.signal }, (abortSignal) =>
      this.docker.getContainer(id).attach({
        stream: true,
        stdout: true,
        stderr: true,
        stdin: options.stdin,
        hijack: true,
        logs: false,
        ...defined({ detachKeys: options.detachKeys }),
        abortSignal,
      }),
    );
    const resize = (size: TerminalSize): Promise<void> => (options.tty ? this.resizeContainer(id, size).catch(() => undefined) : Promise.resolve());
    return { ...this.processStreams(socket as unknown as NodeJS.ReadWriteStream, options), resize };
  }

  async resizeContainer(id: string, size: TerminalSize, options?: CallOptions): Promise<void> {
    await this.run(this.attempt('resize the terminal of container', id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).resize({ h: size.rows, w: size.columns, abortSignal } as {}),
    );
  }

  /** A hijacked connection as separate streams: demultiplexed without a TTY, raw with one. */
  private processStreams(socket: NodeJS.ReadWriteStream, options: InteractiveOptions): Omit<ProcessStreams, 'resize'> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (options.tty) socket.pipe(stdout);
    else {
      demultiplex(
        socket,
        (chunk) => stdout.write(Buffer.from(chunk)),
        (chunk) => stderr.write(Buffer.from(chunk)),
      );
    }
    const ended = new Promise<void>((resolve) => {
      const finish = (): void => {
        if (!options.tty) stdout.end();
        stderr.end();
        resolve();
      };
      socket.once('end', finish);
      socket.once('close', finish);
      socket.once('error', finish);
    });
    const close = (): void => (socket as NodeJS.ReadWriteStream & { destroy(): void }).destroy();
    options.signal?.addEventListener('abort', close, { once: true });
    void ended.then(() => options.signal?.removeEventListener('abort', close));
    return { stdout, stderr, ...(options.stdin ? { stdin: socket } : {}), ended, close };
  }

  async topContainer(id: string, options?: CallOptions): Promise<ContainerTop> {
    const top = await this.run(this.attempt('list the processes of container', id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).top({ abortSignal } as {}),
    );
    const result = top as { Titles?: string[]; Processes?: string[][] };
    return { titles: result.Titles ?? [], processes: result.Processes ?? [] };
  }

  async *containerStats(id: string, options: { readonly stream: boolean; readonly signal?: AbortSignal }): AsyncIterable<ContainerStatsSample> {
    const attempt = this.attempt('read the resource use of container', id);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.openStream(attempt, options.signal, (abortSignal) =>
        this.dial({ path: `/containers/${encodeURIComponent(id)}/stats?`, method: 'GET', options: { stream: options.stream }, abortSignal, isStream: true }),
      );
    } catch (error) {
      if (error instanceof CancelledError) return;
      throw error;
    }
    for await (const message of this.jsonLines(stream, attempt, options.signal)) yield toStatsSample(message as EngineStats);
  }

  async statContainerPath(id: string, path: string, options?: CallOptions): Promise<ContainerPathStat | undefined> {
    const header = await this.run(this.attempt(`look up ${path} in container`, id, this.deadline(options)), options, (abortSignal) =>
      this.dialHeaders({ path: `/containers/${encodeURIComponent(id)}/archive?`, method: 'HEAD', options: { path }, abortSignal }),
    );
    const encoded = header?.['x-docker-container-path-stat'];
    if (typeof encoded !== 'string') return undefined;
    const stat = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { name: string; size: number; mode: number; linkTarget: string };
    return { name: stat.name, size: stat.size, mode: stat.mode, linkTarget: stat.linkTarget ?? '' };
  }

  /**
   * A HEAD request's response headers; undefined for a 404 (a HEAD answer has no body, so the
   * usual error mapping cannot tell the engine's "no such path" from a server that is not one).
   */
  private dialHeaders(request: {
    path: string;
    method: string;
    options: Record<string, unknown>;
    abortSignal: AbortSignal;
  }): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(
        { ...request, isStream: true, statusCodes: { 200: true, 404: true, 500: 'server error' } } as never,
        (error: unknown, result: unknown) => {
          if (error) return reject(error);
          const response = result as NodeJS.ReadableStream & { statusCode?: number; headers: Record<string, unknown>; resume(): void };
          response.resume();
          resolve(response.statusCode === 404 ? undefined : response.headers);
        },
      );
    });
  }

  async archiveStream(id: string, path: string, options?: CallOptions): Promise<NodeJS.ReadableStream> {
    return this.openStream(this.attempt(`copy ${path} from container`, id, this.deadline(options)), options?.signal, (abortSignal) =>
      this.docker.getContainer(id).getArchive({ path, abortSignal }) as Promise<NodeJS.ReadableStream>,
    );
  }

  async extractArchive(
    id: string,
    path: string,
    archive: NodeJS.ReadableStream | Buffer,
    options: CallOptions & { readonly copyUidGid?: boolean } = {},
  ): Promise<void> {
    await this.run(this.attempt(`copy files to ${path} in container`, id, this.deadline(options)), options, (abortSignal) =>
      this.docker.getContainer(id).putArchive(archive as never, { path, ...defined({ copyUIDGID: options.copyUidGid ? '1' : undefined }), abortSignal }),
    );
  }

  async *containerEvents(project: string, options: { readonly signal?: AbortSignal } = {}): AsyncIterable<ContainerEvent> {
    const attempt = this.attempt('follow the container events of project', project);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.openStream(attempt, options.signal, (abortSignal) =>
        this.docker.getEvents({ filters: { label: [projectLabelFilter(project)], type: ['container'] }, abortSignal }) as Promise<NodeJS.ReadableStream>,
      );
    } catch (error) {
      if (error instanceof CancelledError) return;
      throw error;
    }
    // timeNano does not fit a JavaScript number: it is read from the text.
    const queue = this.parsedLines(stream, attempt, options.signal, parseEventLine);
    yield* queue;
  }

  // -------------------------------------------------------------------------------------------
  // Stream decoding

  /**
   * Container output as lines. Non-TTY containers multiplex stdout and stderr in frames (split with
   * dockerode's demuxer); TTY containers send one raw stream, reported as stdout.
   */
  private outputLines(
    stream: NodeJS.ReadableStream,
    format: { multiplexed: boolean; timestamps: boolean },
    attempt: Attempt,
    signal: AbortSignal | undefined,
  ): AsyncQueue<LogLine> {
    const queue = this.queueFor<LogLine>(stream, attempt, signal);
    const toLine = (streamName: 'stdout' | 'stderr') => (text: string) => {
      if (!format.timestamps) return queue.push({ stream: streamName, text });
      const space = text.indexOf(' ');
      queue.push(space < 0 ? { stream: streamName, text: '', timestamp: text } : { stream: streamName, text: text.slice(space + 1), timestamp: text.slice(0, space) });
    };
    const stdout = new LineSplitter(toLine('stdout'));
    const stderr = new LineSplitter(toLine('stderr'));
    if (format.multiplexed) {
      demultiplex(
        stream,
        (chunk) => stdout.write(chunk),
        (chunk) => stderr.write(chunk),
      );
    } else {
      stream.on('data', (chunk: Buffer) => stdout.write(chunk));
    }
    const finish = (): void => {
      stdout.flush();
      stderr.flush();
      queue.end();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    return queue;
  }

  /** Newline-delimited JSON (pull and build progress, events); a line that is not JSON is skipped. */
  private jsonLines(stream: NodeJS.ReadableStream, attempt: Attempt, signal: AbortSignal | undefined): AsyncQueue<unknown> {
    return this.parsedLines(stream, attempt, signal, (line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        // Proxies and old engines occasionally interleave non-JSON noise; it carries nothing we use.
        return undefined;
      }
    });
  }

  /** Each non-blank line through `parse`; what it returns undefined for is skipped. */
  private parsedLines<T>(
    stream: NodeJS.ReadableStream,
    attempt: Attempt,
    signal: AbortSignal | undefined,
    parse: (line: string) => T | undefined,
  ): AsyncQueue<T> {
    const queue = this.queueFor<T>(stream, attempt, signal);
    const lines = new LineSplitter((line) => {
      if (line.trim() === '') return;
      const value = parse(line);
      if (value !== undefined) queue.push(value);
    });
    stream.on('data', (chunk: Buffer) => lines.write(chunk));
    const finish = (): void => {
      lines.flush();
      queue.end();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    return queue;
  }

  /** A queue fed by `stream`: paused when the consumer lags, destroyed when it stops, failing when the connection breaks. */
  private queueFor<T>(stream: NodeJS.ReadableStream, attempt: Attempt, signal: AbortSignal | undefined): AsyncQueue<T> {
    const destroy = (): void => (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    const queue = new AsyncQueue<T>({ pause: () => stream.pause(), resume: () => stream.resume(), cancel: destroy });
    stream.once('error', (error: unknown) => {
      if (signal?.aborted) queue.end();
      else queue.fail(this.toEngineError(error, attempt, false));
    });
    return queue;
  }

  // -------------------------------------------------------------------------------------------
  // Swarm mode (`tscompose stack`): the calls live in docker-swarm.ts; this block only lends it
  // the plumbing above (deadlines, cancellation, errors, stream decoding) for plain requests.

  swarm(): SwarmEngine {
    return createDockerSwarm({
      json: (request, options) =>
        this.run(this.attempt(request.operation, request.resource, this.deadline(options)), options, (abortSignal) =>
          this.swarmDial(request, abortSignal, false),
        ),
      logLines: (request, signal) => this.swarmLines(request, signal),
    });
  }

  private async *swarmLines(request: SwarmRequest & { readonly multiplexed: boolean }, signal: AbortSignal | undefined): AsyncIterable<LogLine> {
    const attempt = this.attempt(request.operation, request.resource);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.openStream(attempt, signal, (abortSignal) => this.swarmDial(request, abortSignal, true) as Promise<NodeJS.ReadableStream>);
    } catch (error) {
      if (error instanceof CancelledError) return;
      throw error;
    }
    yield* this.outputLines(stream, { multiplexed: request.multiplexed, timestamps: false }, attempt, signal);
  }

  private swarmDial(request: SwarmRequest, abortSignal: AbortSignal, isStream: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(
        {
          // The query and the body are kept apart (docker-modem would copy a flat body into the URL).
          path: `${request.path}?`,
          method: request.method,
          options: { _query: request.query ?? {}, ...(request.body === undefined ? {} : { _body: request.body }) },
          ...(request.registryAuth ? { authconfig: { base64: request.registryAuth } } : {}),
          abortSignal,
          isStream,
          statusCodes: { 200: true, 201: true, 204: true },
        } as never,
        (error: unknown, result: unknown) => (error ? reject(error) : resolve(result)),
      );
    });
  }
}

/**
 * Splits the engine's multiplexed output (frames of an 8-byte header: stream type, 3 zero bytes,
 * payload length; then the payload) into stdout and stderr. docker-modem's demuxStream copies the
 * whole rest of its buffer for every frame, which is quadratic in the frames per chunk: with one
 * frame per log line, most of `logs -f`'s time. This reads each byte once; the payloads passed on
 * are views into the chunk, valid only during the call. A first header that is not a frame (a TTY
 * container) switches to passing everything on as stdout, as docker-modem does.
 */
function demultiplex(stream: NodeJS.ReadableStream, stdout: (chunk: Buffer) => void, stderr: (chunk: Buffer) => void): void {
  let pending: Buffer | undefined;
  let raw = false;
  stream.on('data', (data: Buffer) => {
    if (raw) return stdout(data);
    const buffer = pending ? Buffer.concat([pending, data]) : data;
    pending = undefined;
    let at = 0;
    while (buffer.length - at >= 8) {
      const type = buffer[at];
      if (type !== 0 && type !== 1 && type !== 2) {
        raw = true;
        stdout(buffer.subarray(at));
        return;
      }
      const size = buffer.readUInt32BE(at + 4);
      if (buffer.length - at - 8 < size) break;
      const payload = buffer.subarray(at + 8, at + 8 + size);
      if (type === 2) stderr(payload);
      else stdout(payload);
      at += 8 + size;
    }
    if (at < buffer.length) pending = Buffer.from(buffer.subarray(at));
  });
}

/** Splits a byte stream into lines (UTF-8 safe across chunks); a last unterminated line is flushed. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private flushed = false;

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.onLine(withoutCarriageReturn(text.slice(start, newline)));
      start = newline + 1;
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  flush(): void {
    if (this.flushed) return;
    this.flushed = true;
    this.pending += this.decoder.end();
    if (this.pending !== '') this.onLine(withoutCarriageReturn(this.pending));
    this.pending = '';
  }
}

function withoutCarriageReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

function progress(message: string, id: string | undefined, detail: { current?: number; total?: number } | undefined): EngineProgress {
  return {
    message,
    ...(id ? { id } : {}),
    ...(detail?.current !== undefined ? { current: detail.current } : {}),
    ...(detail?.total !== undefined ? { total: detail.total } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// dockerode types -> Engine types

function toContainerSummary(info: Docker.ContainerInfo): ContainerSummary {
  return {
    id: info.Id,
    name: (info.Names[0] ?? '').replace(/^\//, ''),
    image: info.Image,
    imageId: info.ImageID,
    command: info.Command,
    status: info.State as ContainerStatus,
    statusText: info.Status,
    labels: info.Labels ?? {},
    created: info.Created,
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
    networkMode: info.HostConfig?.NetworkMode ?? '',
    mounts: (info.Mounts ?? []).map(toContainerMount),
    ports: (info.Ports ?? []).map((port) => ({
      privatePort: port.PrivatePort,
      protocol: port.Type,
      ...(port.PublicPort ? { publicPort: port.PublicPort } : {}),
      ...(port.IP ? { hostIp: port.IP } : {}),
    })),
  };
}

/**
 * Podman lists a container's image by the name it resolved a short name to
 * (`docker.io/library/app:latest`, `localhost/app:latest` for a local image), where Docker lists the
 * name the container was created with (`app`). The qualification Podman added is taken off again,
 * so `ps` and `down --rmi local` see the same names on both engines.
 */
function asWritten(image: string): string {
  const match = /^(?:localhost|docker\.io\/library|docker\.io)\/(.+?)(?::latest)?$/.exec(image);
  return match ? match[1] : image;
}

function toContainerMount(mount: { Type: string; Name?: string; Driver?: string; Source: string; Destination: string; RW: boolean }): ContainerMount {
  return {
    type: mount.Type,
    ...(mount.Name ? { name: mount.Name } : {}),
    ...(mount.Driver ? { driver: mount.Driver } : {}),
    source: mount.Source,
    destination: mount.Destination,
    readOnly: !mount.RW,
  };
}

function toNetworkSummary(info: Docker.NetworkInspectInfo): NetworkSummary {
  return {
    id: info.Id,
    name: info.Name,
    driver: info.Driver,
    scope: info.Scope,
    internal: info.Internal ?? false,
    attachable: info.Attachable ?? false,
    labels: (info as { Labels?: Record<string, string> }).Labels ?? {},
    created: (info as { Created?: string }).Created ?? '',
  };
}

function toVolumeSummary(info: Docker.VolumeInspectInfo): VolumeSummary {
  return { name: info.Name, driver: info.Driver, mountpoint: info.Mountpoint, labels: info.Labels ?? {} };
}

function toContainerDetails(info: Docker.ContainerInspectInfo): ContainerDetails {
  // Podman reports `Health: {"Status": ""}` for a container without a healthcheck, where Docker
  // leaves Health out: both mean there is no health to wait for.
  const health = info.State.Health?.Status ? info.State.Health : undefined;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    created: info.Created,
    state: {
      status: info.State.Status as ContainerStatus,
      running: info.State.Running,
      paused: info.State.Paused,
      restarting: info.State.Restarting,
      oomKilled: info.State.OOMKilled,
      dead: info.State.Dead,
      pid: info.State.Pid,
      exitCode: info.State.ExitCode,
      error: info.State.Error ?? '',
      startedAt: info.State.StartedAt,
      finishedAt: info.State.FinishedAt,
      ...(health
        ? {
            health: {
              status: health.Status as 'starting' | 'healthy' | 'unhealthy' | 'none',
              failingStreak: health.FailingStreak,
              log: (health.Log ?? []).map((probe) => ({ start: probe.Start, end: probe.End, exitCode: probe.ExitCode, output: probe.Output })),
            },
          }
        : {}),
    },
    restartCount: info.RestartCount,
    restartPolicy: info.HostConfig?.RestartPolicy?.Name ?? '',
    labels: info.Config.Labels ?? {},
    user: info.Config.User ?? '',
    tty: info.Config.Tty,
    openStdin: info.Config.OpenStdin,
    mounts: (info.Mounts ?? []).map(toContainerMount),
    networks: Object.fromEntries(
      Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, network]) => [
        name,
        {
          networkId: network.NetworkID,
          aliases: (network.Aliases as string[] | null) ?? [],
          ipAddress: network.IPAddress,
          ipv6Address: network.GlobalIPv6Address,
          macAddress: network.MacAddress,
        },
      ]),
    ),
  };
}

function toImageSummary(info: Docker.ImageInspectInfo): ImageSummary {
  return {
    id: info.Id,
    repoTags: info.RepoTags ?? [],
    repoDigests: info.RepoDigests ?? [],
    created: info.Created,
    ...lastTagTime(info),
    labels: info.Config?.Labels ?? {},
    volumes: Object.keys(info.Config?.Volumes ?? {}),
    os: info.Os,
    architecture: info.Architecture,
    size: info.Size,
  };
}

/** `Metadata.LastTagTime`, left out when the engine has none (Go's zero time, or absent). */
function lastTagTime(info: Docker.ImageInspectInfo): { lastTagTime?: string } {
  const value = (info as { Metadata?: { LastTagTime?: string } }).Metadata?.LastTagTime;
  return value && !value.startsWith('0001-01-01') ? { lastTagTime: value } : {};
}

// ---------------------------------------------------------------------------------------------
// The CLI's container commands: engine answers -> Engine types

function emptyStreams(): Omit<ProcessStreams, 'resize'> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.end();
  stderr.end();
  return { stdout, stderr, ended: Promise.resolve(), close: () => undefined };
}

/** The fields of a `/containers/{id}/stats` reading that `stats` shows. */
interface EngineStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  pids_stats?: { current?: number };
}

function toStatsSample(stats: EngineStats): ContainerStatsSample {
  const memory = stats.memory_stats ?? {};
  // The page cache is not the container's use (cgroup v1: total_inactive_file, v2: inactive_file), as the Docker CLI counts.
  const cache = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  const usage = memory.usage ?? 0;
  let networkRx = 0;
  let networkTx = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    networkRx += network.rx_bytes ?? 0;
    networkTx += network.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (entry.op ?? '').toLowerCase();
    if (op === 'read') blockRead += entry.value ?? 0;
    if (op === 'write') blockWrite += entry.value ?? 0;
  }
  const cpu = stats.cpu_stats ?? {};
  return {
    cpuTotal: cpu.cpu_usage?.total_usage ?? 0,
    systemCpu: cpu.system_cpu_usage ?? 0,
    previousCpuTotal: stats.precpu_stats?.cpu_usage?.total_usage ?? 0,
    previousSystemCpu: stats.precpu_stats?.system_cpu_usage ?? 0,
    onlineCpus: cpu.online_cpus ?? cpu.cpu_usage?.percpu_usage?.length ?? 1,
    memoryUsage: usage > cache ? usage - cache : usage,
    memoryLimit: memory.limit ?? 0,
    networkRx,
    networkTx,
    blockRead,
    blockWrite,
    pids: stats.pids_stats?.current ?? 0,
  };
}

/** One line of the event stream; undefined for anything that is not a container event. */
function parseEventLine(line: string): ContainerEvent | undefined {
  let event: { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; time?: number };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return undefined;
  }
  if (event.Type !== 'container') return undefined;
  const nanos = /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
  const timeNano = nanos !== undefined ? BigInt(nanos) : BigInt(event.time ?? 0) * 1_000_000_000n;
  return {
    type: event.Type,
    action: event.Action ?? '',
    id: event.Actor?.ID ?? '',
    attributes: event.Actor?.Attributes ?? {},
    time: Number(timeNano / 1_000_000n),
    timeNano,
  };
}
