/**
 * A BuildKit session: the gRPC services the engine calls back while it builds, over the
 * connection `POST /session` upgraded (the engine is the gRPC client):
 *
 * - Health: the engine checks it every second (Engine 20.10) and drops the session at the first
 *   failure, so it must answer SERVING (dockerode's own session lacks it);
 * - FileSync: the build context and the Dockerfile (file-sync.ts);
 * - Secrets: `RUN --mount=type=secret` reads build secrets from here, never from the request;
 * - SSH: `RUN --mount=type=ssh` connections piped to an ssh agent socket;
 * - Auth: registry credentials for base images (`Credentials` only; the token methods answer
 *   UNIMPLEMENTED, which makes the engine fetch tokens itself with those credentials).
 *
 * Every method is advertised as its own header value when the session is opened: the engine
 * checks that list before a FileSync call.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http2';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RegistryCredential } from '../engine.js';
import { fileData, listEntries, statPackets, type SyncedDir } from './file-sync.js';
import { GRPC_STATUS, GrpcError, GrpcServer, unary, type GrpcCall } from './grpc-server.js';
import { decodeBytes, decodePacket, encodeBytes, encodeCredentials, encodePacket, HEALTH_SERVING, PACKET, requestName } from './wire.js';

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

/**
 * A metadata key's values. The engine sends one header line per value; Node's HTTP/2 joins
 * repeated lines with ", ", so they are split again (a pattern containing ", " cannot be told apart).
 */
function metadataList(metadata: IncomingHttpHeaders, key: string): string[] | undefined {
  const value = metadata[key];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((entry) => entry.split(', '));
}

/**
 * One DiffCopy call: the listing, then the requested files, until the receiver says FIN.
 * Requests are served one at a time, in order, with the stream's back-pressure respected.
 */
async function diffCopy(dirs: Readonly<Record<string, SyncedDir>>, call: GrpcCall): Promise<void> {
  const name = metadataList(call.metadata, 'dir-name')?.[0] ?? '';
  const dir = dirs[name];
  if (!dir) throw new GrpcError(GRPC_STATUS.NOT_FOUND, `no access allowed to dir "${name}"`);
  const send = (packet: Parameters<typeof encodePacket>[0]) => call.send(encodePacket(packet));
  try {
    const entries = await listEntries(dir, {
      includePatterns: metadataList(call.metadata, 'include-patterns'),
      excludePatterns: metadataList(call.metadata, 'exclude-patterns'),
      followPaths: metadataList(call.metadata, 'followpaths'),
    });
    for (const packet of statPackets(entries)) await send(packet);
    for await (const message of call.messages) {
      const packet = decodePacket(message);
      if (packet.type === PACKET.REQ) {
        const entry = entries[packet.ID ?? -1];
        if (!entry) throw new Error(`invalid file id ${packet.ID}`);
        for await (const data of fileData(packet.ID!, entry.source)) await send(data);
      } else if (packet.type === PACKET.FIN) {
        await send({ type: PACKET.FIN });
        return;
      } else if (packet.type === PACKET.ERR) {
        return;
      }
    }
  } catch (error) {
    // fsutil's way to fail a transfer: an ERR packet with the reason.
    await send({ type: PACKET.ERR, data: Buffer.from(error instanceof Error ? error.message : String(error)) });
  }
}

/** Pipes one forwarded agent connection to the agent's socket. */
async function forwardAgent(sockets: Readonly<Record<string, string>>, call: GrpcCall): Promise<void> {
  const id = metadataList(call.metadata, 'buildkit.ssh.id')?.[0] ?? 'default';
  const path = sockets[id];
  if (!path) throw new GrpcError(GRPC_STATUS.NOT_FOUND, `no ssh agent "${id}" forwarded`);
  const agent = connect(path);
  const closed = new Promise<void>((resolve, reject) => {
    agent.on('close', () => resolve());
    agent.on('error', (error) => reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, `the ssh agent at ${path} failed: ${error.message}`)));
  });
  agent.on('data', (data: Buffer) => void call.send(encodeBytes(data)));
  const requests = (async () => {
    for await (const message of call.messages) agent.write(decodeBytes(message));
    agent.end();
  })();
  await Promise.all([closed, requests]);
}

export function createBuildSession(providers: SessionProviders, options: { readonly name: string; readonly sharedKey: string }): BuildSession {
  const id = randomUUID();
  const secrets = providers.secrets ?? {};
  const sockets = providers.ssh ?? {};
  const credentials = providers.credentials;
  const server = new GrpcServer({
    '/grpc.health.v1.Health/Check': unary(async () => HEALTH_SERVING),
    '/moby.filesync.v1.FileSync/DiffCopy': (call) => diffCopy(providers.dirs, call),
    '/moby.buildkit.secrets.v1.Secrets/GetSecret': unary(async (request) => {
      const secret = requestName(request);
      const read = secrets[secret];
      if (!read) throw new GrpcError(GRPC_STATUS.NOT_FOUND, `secret ${secret} not found`);
      try {
        return encodeBytes(await read());
      } catch (error) {
        throw new GrpcError(GRPC_STATUS.NOT_FOUND, `secret ${secret}: ${(error as Error).message}`);
      }
    }),
    '/moby.sshforward.v1.SSH/CheckAgent': unary(async (request) => {
      const agent = requestName(request) || 'default';
      if (!sockets[agent]) throw new GrpcError(GRPC_STATUS.NOT_FOUND, `no SSH key "${agent}" forwarded from the client: add it to the service's build.ssh`);
      return Buffer.alloc(0);
    }),
    '/moby.sshforward.v1.SSH/ForwardAgent': (call) => forwardAgent(sockets, call),
    '/moby.filesync.v1.Auth/Credentials': unary(async (request) => {
      const host = requestName(request);
      try {
        const found = credentials ? await credentials(host) : undefined;
        return encodeCredentials(found?.username ?? '', found?.secret ?? '');
      } catch (error) {
        throw new GrpcError(GRPC_STATUS.UNAVAILABLE, `credentials for ${host}: ${(error as Error).message}`);
      }
    }),
  });
  return {
    id,
    headers: {
      Upgrade: 'h2c',
      Connection: 'Upgrade',
      'X-Docker-Expose-Session-Uuid': id,
      'X-Docker-Expose-Session-Name': options.name,
      'X-Docker-Expose-Session-Sharedkey': options.sharedKey,
      'X-Docker-Expose-Session-Grpc-Method': server.paths,
    },
    serve: (socket) => server.serve(socket),
    close: () => server.close(),
  };
}
