/**
 * A fault-injecting proxy in front of the engine's unix socket (reliability §3): it forwards bytes
 * both ways and, for the first request matching a rule (or the first `times` ones), drops the
 * connection either before the request reaches the engine or after the engine has done the work
 * but before its answer reaches the client (what a daemon restart or a network cut looks like
 * from the client), holds the request without ever answering (a hung daemon), or answers with an
 * engine error instead of the engine. `refuse` closes every new connection at once for a while
 * (a daemon that is restarting).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FaultRule {
  /** The HTTP method, or `*` for any. */
  readonly method: string;
  /** Matched against the request path (with the query string). */
  readonly path: RegExp;
  /** `before`/`after`: drop the connection; `hang`: never answer; `error`: answer `status` with an engine error body. */
  readonly when: 'before' | 'after' | 'hang' | 'error';
  /** For `error`: the HTTP status (default 500). */
  readonly status?: number;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  readonly times?: number;
  /** How many matching requests pass untouched first (the 2nd start: skip 1). */
  readonly skip?: number;
}

export class FaultProxy {
  private readonly dir = mkdtempSync(join(tmpdir(), 'tscl-proxy-'));
  readonly socketPath = join(this.dir, 'engine.sock');
  private server?: Server;
  private rule?: FaultRule;
  /** Open connections, with the last request line each carried (`GET /events?...`). */
  private readonly open = new Map<Socket, string>();
  /** The request line that first triggered the fault, once it did. */
  triggered?: string;
  /** How many requests the armed rule has hit. */
  hits = 0;
  private skipped = 0;
  private refusingUntil = 0;

  constructor(private readonly upstreamPath: string) {}

  get url(): string {
    return `unix://${this.socketPath}`;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => this.server!.listen(this.socketPath, resolve));
  }

  arm(rule: FaultRule): void {
    this.rule = rule;
    this.triggered = undefined;
    this.hits = 0;
    this.skipped = 0;
  }

  disarm(): void {
    this.rule = undefined;
  }

  /** Closes every connection made in the next `ms` milliseconds as soon as it is accepted. */
  refuse(ms: number): void {
    this.refusingUntil = Date.now() + ms;
  }

  /**
   * Drops every open connection whose latest request path matches (what long-lived streams such as
   * events, attach and logs see when the daemon restarts or the network cuts). Returns how many.
   */
  cut(path: RegExp): number {
    let count = 0;
    for (const [client, request] of this.open) {
      if (!path.test(request)) continue;
      client.destroy();
      count++;
    }
    return count;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private relay(client: Socket): void {
    if (Date.now() < this.refusingUntil) {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.upstreamPath);
    let dropOnAnswer = false;
    let held = false;
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    this.open.set(client, '');
    client.on('data', (chunk: Buffer) => {
      const line = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)));
      if (line) this.open.set(client, line[2]);
      if (held) return;
      const rule = this.rule;
      const matches = line !== null && rule !== undefined && (rule.method === '*' || line[1] === rule.method) && rule.path.test(line[2]);
      if (matches && this.skipped < (rule.skip ?? 0)) this.skipped++;
      else if (line && rule && matches && this.hits < (rule.times ?? 1)) {
        this.triggered ??= `${line[1]} ${line[2]}`;
        this.hits++;
        if (rule.when === 'before') return drop();
        if (rule.when === 'hang') {
          held = true;
          return;
        }
        if (rule.when === 'error') {
          const body = JSON.stringify({ message: `injected fault: ${line[1]} ${line[2]}` });
          const status = rule.status ?? 500;
          client.end(`HTTP/1.1 ${status} Injected\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
          upstream.destroy();
          return;
        }
        dropOnAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropOnAnswer) return drop();
      client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => {
      this.open.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  }
}
