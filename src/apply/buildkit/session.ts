/**
 * A BuildKit session: the gRPC server the engine calls back while it builds, over the connection
 * `POST /session` upgraded (the engine is the gRPC client). It serves
 *
 * - Health: the engine checks it every second (Engine 20.10) and drops the session at the first
 *   failure, so it must answer SERVING;
 * - FileSync: the build context and the Dockerfile (file-sync.ts);
 * - Secrets: `RUN --mount=type=secret` reads build secrets from here, never from the request;
 * - SSH: `RUN --mount=type=ssh` connections piped to an ssh agent socket;
 * - Auth: registry credentials for base images (`Credentials` only; the token methods answer
 *   UNIMPLEMENTED, which makes the engine fetch tokens itself with those credentials).
 *
 * Every method is advertised as its own header value when the session is opened: the engine
 * checks that list before a FileSync call.
 */
import grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RegistryCredential } from '../engine.js';
import { fileData, listEntries, statPackets, type SyncedDir } from './file-sync.js';
import {
  bytesMessageCodec,
  checkAgentRequestCodec,
  credentialsRequestCodec,
  credentialsResponseCodec,
  emptyCodec,
  healthResponseCodec,
  packetCodec,
  PACKET,
  secretRequestCodec,
  secretResponseCodec,
  type Codec,
  type Packet,
} from './wire.js';

export interface SessionProviders {
  /** Directories the engine may ask for by name: `context`, `dockerfile`. */
  readonly dirs: Readonly<Record<string, SyncedDir>>;
  /** Build secrets by id; read only when a build step asks. */
  readonly secrets?: Readonly<Record<string, () => Promise<Buffer>>>;
  /** ssh agent sockets by id (`default`, ...). */
  readonly ssh?: Readonly<Record<string, string>>;
  /** Credentials for a registry host (`registry-1.docker.io`, `127.0.0.1:5000`). */
  readonly credentials?: (host: string) => Promise<RegistryCredential | undefined>;
}

export interface BuildSession {
  readonly id: string;
  /** The headers of `POST /session` (methods as one value each). */
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** Serves the session on the upgraded connection. */
  serve(socket: Duplex): void;
  close(): void;
}

const HEALTH_SERVING = 1;

function method<Request, Response>(
  path: string,
  request: Codec<Request>,
  response: Codec<Response>,
  streams: { requestStream: boolean; responseStream: boolean },
): grpc.MethodDefinition<Request, Response> {
  return {
    path,
    ...streams,
    requestSerialize: (message: Request) => request.encode(message),
    requestDeserialize: (data: Buffer) => request.decode(data),
    responseSerialize: (message: Response) => response.encode(message),
    responseDeserialize: (data: Buffer) => response.decode(data),
  };
}

const UNARY = { requestStream: false, responseStream: false };
const BIDI = { requestStream: true, responseStream: true };

/** The health request is never read: any bytes decode as "no service named". */
const anyRequest: Codec<unknown> = { encode: () => Buffer.alloc(0), decode: () => ({}) };

const SERVICES = {
  health: { Check: method('/grpc.health.v1.Health/Check', anyRequest, healthResponseCodec, UNARY) },
  fileSync: { DiffCopy: method('/moby.filesync.v1.FileSync/DiffCopy', packetCodec, packetCodec, BIDI) },
  auth: { Credentials: method('/moby.filesync.v1.Auth/Credentials', credentialsRequestCodec, credentialsResponseCodec, UNARY) },
  secrets: { GetSecret: method('/moby.buildkit.secrets.v1.Secrets/GetSecret', secretRequestCodec, secretResponseCodec, UNARY) },
  ssh: {
    CheckAgent: method('/moby.sshforward.v1.SSH/CheckAgent', checkAgentRequestCodec, emptyCodec, UNARY),
    ForwardAgent: method('/moby.sshforward.v1.SSH/ForwardAgent', bytesMessageCodec, bytesMessageCodec, BIDI),
  },
} satisfies Record<string, grpc.ServiceDefinition>;

function grpcError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/**
 * A metadata key's values. The engine sends one header line per value; Node's HTTP/2 joins
 * repeated lines with ", ", so they are split again (a pattern containing ", " cannot be told apart).
 */
function metadataList(metadata: grpc.Metadata, key: string): string[] | undefined {
  const values = metadata.get(key);
  return values.length === 0 ? undefined : values.flatMap((value) => String(value).split(', '));
}

/**
 * One DiffCopy call: the listing, then the requested files, until the receiver says FIN.
 * Requests are served one at a time, in order, with the stream's back-pressure respected.
 */
function serveDiffCopy(dirs: Readonly<Record<string, SyncedDir>>, call: grpc.ServerDuplexStream<Packet, Packet>): void {
  const name = metadataList(call.metadata, 'dir-name')?.[0] ?? '';
  const dir = dirs[name];
  if (!dir) {
    call.destroy(grpcError(grpc.status.NOT_FOUND, `no access allowed to dir "${name}"`));
    return;
  }
  const write = async (packet: Packet): Promise<void> => {
    if (!call.write(packet)) await new Promise<void>((resolve) => call.once('drain', () => resolve()));
  };
  let entries: Awaited<ReturnType<typeof listEntries>> | undefined;
  const queue: Packet[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  call.on('data', (packet: Packet) => {
    queue.push(packet);
    wake?.();
  });
  call.on('end', () => {
    ended = true;
    wake?.();
  });
  call.on('error', () => {
    ended = true;
    wake?.();
  });
  const next = async (): Promise<Packet | undefined> => {
    while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    return queue.shift();
  };
  void (async () => {
    try {
      entries = await listEntries(dir, {
        includePatterns: metadataList(call.metadata, 'include-patterns'),
        excludePatterns: metadataList(call.metadata, 'exclude-patterns'),
        followPaths: metadataList(call.metadata, 'followpaths'),
      });
      for (const packet of statPackets(entries)) await write(packet);
      for (let packet = await next(); packet !== undefined; packet = await next()) {
        if (packet.type === PACKET.REQ) {
          const entry = entries[packet.ID ?? -1];
          if (!entry) throw new Error(`invalid file id ${packet.ID}`);
          for await (const data of fileData(packet.ID!, entry.source)) await write(data);
        } else if (packet.type === PACKET.FIN) {
          await write({ type: PACKET.FIN });
          call.end();
          return;
        } else if (packet.type === PACKET.ERR) {
          call.end();
          return;
        }
      }
      call.end();
    } catch (error) {
      if (call.destroyed) return;
      call.write({ type: PACKET.ERR, data: Buffer.from(error instanceof Error ? error.message : String(error)) });
      call.end();
    }
  })();
}

/** Pipes one forwarded agent connection to the agent's socket. */
function serveForwardAgent(sockets: Readonly<Record<string, string>>, call: grpc.ServerDuplexStream<{ data: Buffer }, { data: Buffer }>): void {
  const id = metadataList(call.metadata, 'buildkit.ssh.id')?.[0] ?? 'default';
  const path = sockets[id];
  if (!path) {
    call.destroy(grpcError(grpc.status.NOT_FOUND, `no ssh agent "${id}" forwarded`));
    return;
  }
  const agent = connect(path);
  agent.on('data', (data: Buffer) => call.write({ data }));
  agent.on('error', (error) => call.destroy(grpcError(grpc.status.UNAVAILABLE, `the ssh agent at ${path} failed: ${error.message}`)));
  agent.on('close', () => call.end());
  call.on('data', (message: { data: Buffer }) => agent.write(message.data));
  call.on('end', () => agent.end());
  call.on('error', () => agent.destroy());
}

export function createBuildSession(providers: SessionProviders, options: { readonly name: string; readonly sharedKey: string }): BuildSession {
  const id = randomUUID();
  const server = new grpc.Server();
  const methods: string[] = [];
  const add = <Definition extends grpc.ServiceDefinition>(service: Definition, implementation: grpc.UntypedServiceImplementation): void => {
    server.addService(service, implementation);
    for (const definition of Object.values(service)) methods.push(definition.path);
  };

  add(SERVICES.health, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<{ status: number }>) => callback(null, { status: HEALTH_SERVING }),
  });
  add(SERVICES.fileSync, {
    DiffCopy: (call: grpc.ServerDuplexStream<Packet, Packet>) => serveDiffCopy(providers.dirs, call),
  });
  const secrets = providers.secrets ?? {};
  add(SERVICES.secrets, {
    GetSecret: (call: grpc.ServerUnaryCall<{ ID: string }, { data: Buffer }>, callback: grpc.sendUnaryData<{ data: Buffer }>) => {
      const read = secrets[call.request.ID];
      if (!read) return callback(grpcError(grpc.status.NOT_FOUND, `secret ${call.request.ID} not found`));
      read().then(
        (data) => callback(null, { data }),
        (error: Error) => callback(grpcError(grpc.status.NOT_FOUND, `secret ${call.request.ID}: ${error.message}`)),
      );
    },
  });
  const sockets = providers.ssh ?? {};
  add(SERVICES.ssh, {
    CheckAgent: (call: grpc.ServerUnaryCall<{ ID: string }, Record<string, never>>, callback: grpc.sendUnaryData<Record<string, never>>) => {
      const agent = call.request.ID || 'default';
      if (sockets[agent]) callback(null, {});
      else callback(grpcError(grpc.status.NOT_FOUND, `no SSH key "${agent}" forwarded from the client: add it to the service's build.ssh`));
    },
    ForwardAgent: (call: grpc.ServerDuplexStream<{ data: Buffer }, { data: Buffer }>) => serveForwardAgent(sockets, call),
  });
  const credentials = providers.credentials;
  add(SERVICES.auth, {
    Credentials: (call: grpc.ServerUnaryCall<{ Host: string }, { Username: string; Secret: string }>, callback: grpc.sendUnaryData<{ Username: string; Secret: string }>) => {
      if (!credentials) return callback(null, { Username: '', Secret: '' });
      credentials(call.request.Host).then(
        (found) => callback(null, { Username: found?.username ?? '', Secret: found?.secret ?? '' }),
        (error: Error) => callback(grpcError(grpc.status.UNAVAILABLE, `credentials for ${call.request.Host}: ${error.message}`)),
      );
    },
  });

  let sockets_: Duplex[] = [];
  return {
    id,
    headers: {
      Upgrade: 'h2c',
      Connection: 'Upgrade',
      'X-Docker-Expose-Session-Uuid': id,
      'X-Docker-Expose-Session-Name': options.name,
      'X-Docker-Expose-Session-Sharedkey': options.sharedKey,
      'X-Docker-Expose-Session-Grpc-Method': methods,
    },
    serve(socket: Duplex): void {
      sockets_.push(socket);
      server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket);
    },
    close(): void {
      server.forceShutdown();
      for (const socket of sockets_) socket.destroy();
      sockets_ = [];
    },
  };
}
