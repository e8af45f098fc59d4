/**
 * A gRPC server for one connection the engine handed over (`POST /session` upgraded to h2c):
 * the engine is the HTTP/2 client and calls our methods. What gRPC adds to HTTP/2 here: each
 * message framed with a 5-byte prefix (a compression flag, always 0, and the length), the
 * response headers, and the call's status in trailers (`grpc-status`, `grpc-message`). Unknown
 * methods answer UNIMPLEMENTED, which is how BuildKit learns that a service is not offered.
 * Node's own HTTP/2 does the rest; no gRPC library is loaded for the few methods a build uses.
 */
import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';

export const GRPC_STATUS = { OK: 0, UNKNOWN: 2, NOT_FOUND: 5, UNIMPLEMENTED: 12, UNAVAILABLE: 14 } as const;

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface GrpcCall {
  /** The request headers (metadata), names in lower case. */
  readonly metadata: IncomingHttpHeaders;
  /** The request messages, as they arrive. */
  readonly messages: AsyncIterable<Buffer>;
  /** Sends one response message; resolves when the stream can take more. */
  send(message: Buffer): Promise<void>;
}

/** A method: returns when the call is done (a throw becomes its status). */
export type GrpcHandler = (call: GrpcCall) => Promise<void>;

/** A unary method: one request message in, one response out. */
export function unary(handle: (request: Buffer, metadata: IncomingHttpHeaders) => Promise<Buffer>): GrpcHandler {
  return async (call) => {
    for await (const request of call.messages) {
      await call.send(await handle(request, call.metadata));
      return;
    }
    throw new GrpcError(GRPC_STATUS.UNKNOWN, 'no request message');
  };
}

/**
 * Splits the request body into messages (length-prefixed, uncompressed). A handler that stops
 * reading early (fsutil's FIN) must not destroy the stream: its answer and trailers still go out,
 * so the body is read from events rather than with `for await`, which would destroy it.
 */
async function* readMessages(stream: ServerHttp2Stream): AsyncGenerator<Buffer> {
  const chunks: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    notify();
  });
  stream.on('end', () => {
    ended = true;
    notify();
  });
  stream.on('close', () => {
    ended = true;
    notify();
  });
  stream.on('error', (error: Error) => {
    failure = error;
    notify();
  });
  let pending: Buffer = Buffer.alloc(0);
  for (;;) {
    while (chunks.length === 0 && !ended && !failure) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
    if (chunks.length === 0) return;
    pending = Buffer.concat([pending, ...chunks.splice(0)]);
    while (pending.length >= 5) {
      if (pending[0] !== 0) throw new GrpcError(GRPC_STATUS.UNIMPLEMENTED, 'compressed messages are not supported');
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      yield pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
    }
  }
}

function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

export class GrpcServer {
  private readonly server: Http2Server;
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly methods: Readonly<Record<string, GrpcHandler>>) {
    this.server = createServer();
    // A broken connection ends the session; it must never take the process down.
    this.server.on('sessionError', () => undefined);
    this.server.on('stream', (stream, headers) => this.dispatch(stream, headers));
  }

  /** The methods served, as the session advertises them (`/package.Service/Method`). */
  get paths(): string[] {
    return Object.keys(this.methods);
  }

  /** Serves HTTP/2 on a connection that is already open (the engine speaks first). */
  serve(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.server.emit('connection', socket);
  }

  close(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private dispatch(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const handler = this.methods[String(headers[':path'])];
    if (!handler) {
      // Trailers-only: the status in the response headers, no body.
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(GRPC_STATUS.UNIMPLEMENTED) }, { endStream: true });
      return;
    }
    let status: { code: number; message: string } = { code: GRPC_STATUS.OK, message: '' };
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => {
      stream.sendTrailers({ 'grpc-status': String(status.code), ...(status.message ? { 'grpc-message': encodeURIComponent(status.message) } : {}) });
    });
    const call: GrpcCall = {
      metadata: headers,
      messages: readMessages(stream),
      send: async (message) => {
        if (stream.destroyed || stream.closed) return;
        if (!stream.write(frame(message))) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      },
    };
    handler(call).then(
      () => stream.end(),
      (error: unknown) => {
        status = error instanceof GrpcError ? { code: error.code, message: error.message } : { code: GRPC_STATUS.UNKNOWN, message: String((error as Error)?.message ?? error) };
        stream.end();
      },
    );
  }
}
