/**
 * The protobuf messages a BuildKit session and the engine's build progress use, with the field
 * numbers of BuildKit's own .proto files (unchanged since BuildKit 0.8): fsutil's Packet and Stat
 * (FileSync), the health, auth, secrets and ssh services' messages, and the StatusResponse of
 * the progress stream. Only what tscompose reads or writes is handled.
 */
import type { BuildkitStatus } from '../engine.js';
import { asBytes, asNumber, asText, ProtoWriter, readMessage } from './proto.js';

// ---------------------------------------------------------------------------------------------
// FileSync (fsutil)

export const PACKET = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;

export interface FileStat {
  readonly path: string;
  /** Go os.FileMode bits (not st_mode). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: bigint;
  /** Nanoseconds since the epoch. */
  readonly modTime: bigint;
  readonly linkname: string;
  readonly devmajor?: bigint;
  readonly devminor?: bigint;
}

export interface Packet {
  readonly type: number;
  readonly stat?: FileStat;
  readonly ID?: number;
  readonly data?: Buffer;
}

function statMessage(stat: FileStat): ProtoWriter {
  return new ProtoWriter()
    .string(1, stat.path)
    .int(2, stat.mode)
    .int(3, stat.uid)
    .int(4, stat.gid)
    .int(5, stat.size)
    .int(6, stat.modTime)
    .string(7, stat.linkname)
    .int(8, stat.devmajor)
    .int(9, stat.devminor);
}

export function encodePacket(packet: Packet): Buffer {
  return new ProtoWriter()
    .int(1, packet.type)
    .message(2, packet.stat ? statMessage(packet.stat) : undefined)
    .int(3, packet.ID)
    .bytes(4, packet.data)
    .finish();
}

/** What the engine sends back (REQ, FIN, ERR): the type, the file id and the data. */
export function decodePacket(data: Buffer): Packet {
  let type = 0;
  let id = 0;
  let payload: Buffer | undefined;
  readMessage(data, {
    1: (value) => (type = asNumber(value)),
    3: (value) => (id = asNumber(value)),
    4: (value) => (payload = asBytes(value)),
  });
  return { type, ID: id, ...(payload ? { data: payload } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Session services

/** grpc.health.v1.HealthCheckResponse{status: SERVING}. */
export const HEALTH_SERVING = new ProtoWriter().int(1, 1).finish();

/** The first string field of a request: CredentialsRequest.Host, GetSecretRequest.ID, CheckAgentRequest.ID. */
export function requestName(data: Buffer): string {
  let name = '';
  readMessage(data, { 1: (value) => (name = asText(value)) });
  return name;
}

export function encodeCredentials(username: string, secret: string): Buffer {
  return new ProtoWriter().string(1, username).string(2, secret).finish();
}

/** GetSecretResponse and BytesMessage: one bytes field. */
export function encodeBytes(data: Buffer): Buffer {
  return new ProtoWriter().bytes(1, data).finish();
}

export function decodeBytes(data: Buffer): Buffer {
  let payload: Buffer = Buffer.alloc(0);
  readMessage(data, { 1: (value) => (payload = asBytes(value)) });
  return payload;
}

// ---------------------------------------------------------------------------------------------
// Build progress (moby.buildkit.v1.StatusResponse)

/** google.protobuf.Timestamp -> milliseconds; undefined for an absent or zero time. */
function millis(data: Buffer): number | undefined {
  let seconds = 0;
  let nanos = 0;
  readMessage(data, { 1: (value) => (seconds = asNumber(value)), 2: (value) => (nanos = asNumber(value)) });
  return seconds <= 0 && nanos === 0 ? undefined : seconds * 1000 + Math.floor(nanos / 1e6);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Vertex = Mutable<BuildkitStatus['vertexes'][number]>;
type VertexStatus = Mutable<BuildkitStatus['statuses'][number]>;
type VertexLog = Mutable<BuildkitStatus['logs'][number]>;

export function decodeStatus(data: Buffer): BuildkitStatus {
  const vertexes: Vertex[] = [];
  const statuses: VertexStatus[] = [];
  const logs: VertexLog[] = [];
  readMessage(data, {
    1: (value) => {
      const vertex: Vertex = { digest: '', name: '', cached: false };
      readMessage(asBytes(value), {
        1: (field) => (vertex.digest = asText(field)),
        3: (field) => (vertex.name = asText(field)),
        4: (field) => (vertex.cached = asNumber(field) !== 0),
        5: (field) => (vertex.started = millis(asBytes(field))),
        6: (field) => (vertex.completed = millis(asBytes(field))),
        7: (field) => (vertex.error = asText(field) || undefined),
      });
      vertexes.push(withoutUndefined(vertex));
    },
    2: (value) => {
      const status: VertexStatus = { id: '', vertex: '', current: 0, total: 0 };
      readMessage(asBytes(value), {
        1: (field) => (status.id = asText(field)),
        2: (field) => (status.vertex = asText(field)),
        4: (field) => (status.current = asNumber(field)),
        5: (field) => (status.total = asNumber(field)),
        8: (field) => (status.completed = millis(asBytes(field))),
      });
      statuses.push(withoutUndefined(status));
    },
    3: (value) => {
      const log: VertexLog = { vertex: '', stream: 0, data: Buffer.alloc(0), timestamp: 0 };
      readMessage(asBytes(value), {
        1: (field) => (log.vertex = asText(field)),
        2: (field) => (log.timestamp = millis(asBytes(field)) ?? 0),
        3: (field) => (log.stream = asNumber(field)),
        4: (field) => (log.data = asBytes(field)),
      });
      logs.push(log);
    },
  });
  return { vertexes, statuses, logs };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
