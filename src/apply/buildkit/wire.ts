/**
 * The protobuf messages a BuildKit session and the engine's build progress use, declared here (the
 * field numbers of BuildKit's own .proto files, which have not changed since BuildKit 0.8) so no
 * .proto file has to be found at run time. Only what tscompose reads or writes is declared.
 */
import protobuf from 'protobufjs';

const int64 = (id: number) => ({ type: 'int64', id });
const string = (id: number) => ({ type: 'string', id });
const bytes = (id: number) => ({ type: 'bytes', id });
const timestamp = (id: number) => ({ type: 'Timestamp', id });

const root = protobuf.Root.fromJSON({
  nested: {
    fsutil: {
      nested: {
        Stat: {
          fields: {
            path: string(1),
            mode: { type: 'uint32', id: 2 },
            uid: { type: 'uint32', id: 3 },
            gid: { type: 'uint32', id: 4 },
            size: int64(5),
            modTime: int64(6),
            linkname: string(7),
            devmajor: int64(8),
            devminor: int64(9),
          },
        },
        Packet: {
          fields: { type: { type: 'uint32', id: 1 }, stat: { type: 'Stat', id: 2 }, ID: { type: 'uint32', id: 3 }, data: bytes(4) },
        },
      },
    },
    buildkit: {
      nested: {
        Timestamp: { fields: { seconds: int64(1), nanos: { type: 'int32', id: 2 } } },
        Vertex: {
          fields: {
            digest: string(1),
            inputs: { rule: 'repeated', type: 'string', id: 2 },
            name: string(3),
            cached: { type: 'bool', id: 4 },
            started: timestamp(5),
            completed: timestamp(6),
            error: string(7),
          },
        },
        VertexStatus: {
          fields: {
            ID: string(1),
            vertex: string(2),
            name: string(3),
            current: int64(4),
            total: int64(5),
            timestamp: timestamp(6),
            started: timestamp(7),
            completed: timestamp(8),
          },
        },
        VertexLog: { fields: { vertex: string(1), timestamp: timestamp(2), stream: int64(3), msg: bytes(4) } },
        StatusResponse: {
          fields: {
            vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
            statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
            logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
          },
        },
      },
    },
    session: {
      nested: {
        HealthCheckResponse: { fields: { status: { type: 'int32', id: 1 } } },
        CredentialsRequest: { fields: { Host: string(1) } },
        CredentialsResponse: { fields: { Username: string(1), Secret: string(2) } },
        GetSecretRequest: { fields: { ID: string(1) } },
        GetSecretResponse: { fields: { data: bytes(1) } },
        CheckAgentRequest: { fields: { ID: string(1) } },
        Empty: { fields: {} },
        BytesMessage: { fields: { data: bytes(1) } },
      },
    },
  },
});

export interface Codec<T> {
  encode(message: T): Buffer;
  decode(data: Buffer): T;
}

function codec<T>(name: string): Codec<T> {
  const type = root.lookupType(name);
  return {
    // encode takes plain objects as they are: int64 values go in as {low, high} words, exact.
    encode: (message) => Buffer.from(type.encode(message as Record<string, unknown>).finish()),
    decode: (data) => type.toObject(type.decode(data), { longs: String, bytes: Buffer, defaults: true }) as T,
  };
}

/** An int64 for encoding: two 32-bit words (protobufjs' Long shape), exact beyond 2^53. */
export interface Int64 {
  readonly low: number;
  readonly high: number;
}

export function int64Of(value: bigint): Int64 {
  const unsigned = BigInt.asUintN(64, value);
  return { low: Number(unsigned & 0xffffffffn) | 0, high: Number(unsigned >> 32n) | 0 };
}

// ---------------------------------------------------------------------------------------------
// FileSync (fsutil)

export const PACKET = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;

export interface FileStat {
  readonly path: string;
  /** Go os.FileMode bits (not st_mode). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: Int64;
  /** Nanoseconds since the epoch. */
  readonly modTime: Int64;
  readonly linkname: string;
  readonly devmajor?: Int64;
  readonly devminor?: Int64;
}

export interface Packet {
  readonly type: number;
  readonly stat?: FileStat | null;
  readonly ID?: number;
  readonly data?: Buffer;
}

export const packetCodec = codec<Packet>('fsutil.Packet');

// ---------------------------------------------------------------------------------------------
// Build progress (moby.buildkit.v1.StatusResponse)

export interface WireTimestamp {
  readonly seconds: string;
  readonly nanos: number;
}

export interface WireStatus {
  readonly vertexes: readonly {
    readonly digest: string;
    readonly inputs: readonly string[];
    readonly name: string;
    readonly cached: boolean;
    readonly started: WireTimestamp | null;
    readonly completed: WireTimestamp | null;
    readonly error: string;
  }[];
  readonly statuses: readonly {
    readonly ID: string;
    readonly vertex: string;
    readonly name: string;
    readonly current: string;
    readonly total: string;
    readonly timestamp: WireTimestamp | null;
    readonly started: WireTimestamp | null;
    readonly completed: WireTimestamp | null;
  }[];
  readonly logs: readonly {
    readonly vertex: string;
    readonly timestamp: WireTimestamp | null;
    readonly stream: string;
    readonly msg: Buffer;
  }[];
}

export const statusCodec = codec<WireStatus>('buildkit.StatusResponse');

// ---------------------------------------------------------------------------------------------
// Session services

export const healthResponseCodec = codec<{ status: number }>('session.HealthCheckResponse');
export const credentialsRequestCodec = codec<{ Host: string }>('session.CredentialsRequest');
export const credentialsResponseCodec = codec<{ Username: string; Secret: string }>('session.CredentialsResponse');
export const secretRequestCodec = codec<{ ID: string }>('session.GetSecretRequest');
export const secretResponseCodec = codec<{ data: Buffer }>('session.GetSecretResponse');
export const checkAgentRequestCodec = codec<{ ID: string }>('session.CheckAgentRequest');
export const emptyCodec = codec<Record<string, never>>('session.Empty');
export const bytesMessageCodec = codec<{ data: Buffer }>('session.BytesMessage');
