/**
 * `ssh://` engines, reached the way the Docker CLI reaches them: run the system `ssh` client with
 * `docker system dial-stdio` on the remote side and speak HTTP over its stdin/stdout.
 *
 * Why not docker-modem's built-in ssh support: it uses the ssh2 library without a host key check
 * (any machine that answers on the address gets the engine's credentials and commands) and it
 * ignores ~/.ssh/config. The system client brings known_hosts, ssh-agent, ProxyJump and the user's
 * config for free, and `--` before the host keeps a hostile host name from being read as an option.
 */
import type { ChildProcess } from 'node:child_process';
import type * as ChildProcesses from 'node:child_process';
import { Agent, type ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { Duplex } from 'node:stream';
import type { SshEndpoint } from './endpoint.js';

/** The ssh arguments, as the Docker CLI builds them (`-T`: no terminal; `--`: end of options). */
export function sshDialArgs(endpoint: Pick<SshEndpoint, 'host' | 'user' | 'port' | 'remoteSocket'>): string[] {
  const args = ['-o', 'ConnectTimeout=30', '-T'];
  if (endpoint.user) args.push('-l', endpoint.user);
  if (endpoint.port) args.push('-p', String(endpoint.port));
  args.push('--', endpoint.host, 'docker');
  if (endpoint.remoteSocket) args.push(`--host=unix://${endpoint.remoteSocket}`);
  args.push('system', 'dial-stdio');
  return args;
}

/** How much of ssh's stderr to keep for the error message. */
const STDERR_LIMIT = 4096;

/**
 * One HTTP connection = one `ssh … docker system dial-stdio` process. Reads come from the child's
 * stdout, writes go to its stdin. When ssh fails, the stream fails with ssh's own stderr (e.g.
 * "Host key verification failed."), not with a bare "socket hang up".
 */
class SshDialConnection extends Duplex {
  private stderr = '';
  private exited?: { code: number | null; signal: NodeJS.Signals | null };
  private stdoutEnded = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly commandLine: string,
  ) {
    super();
    const { stdin, stdout, stderr } = child;
    if (!stdin || !stdout || !stderr) throw new Error('ssh was spawned without pipes');
    stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) stdout.pause();
    });
    stdout.on('end', () => {
      this.stdoutEnded = true;
      this.finishWhenDone();
    });
    stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
    });
    // A write after ssh died is reported through 'exit' with ssh's reason; do not crash on EPIPE.
    stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'the ssh client is not installed (no "ssh" on PATH)' : error.message;
      this.destroy(new SshDialError(`cannot run ${this.commandLine}: ${reason}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.finishWhenDone();
    });
  }

  /** End of stream only once both stdout has ended and ssh has exited, so a failure is never mistaken for EOF. */
  private finishWhenDone(): void {
    if (!this.stdoutEnded || !this.exited || this.destroyed) return;
    const { code, signal } = this.exited;
    if (code === 0 || signal === 'SIGTERM') {
      this.push(null);
      return;
    }
    const detail = this.stderr.trim() || (signal ? `killed by ${signal}` : `exit status ${code}`);
    this.destroy(new SshDialError(`${this.commandLine} failed: ${detail}`));
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) {
      callback(new SshDialError(`${this.commandLine} is not running`));
      return;
    }
    stdin.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin?.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    if (this.exited === undefined) this.child.kill('SIGTERM');
    callback(error);
  }

  // The socket methods http.Agent and ClientRequest call on connections.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  /** An idle kept-alive connection must not keep the process alive (as for a TCP socket). */
  ref(): this {
    this.child.ref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) refStream(stream, true);
    return this;
  }
  unref(): this {
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) refStream(stream, false);
    return this;
  }
}

/** Child pipes are net.Sockets at runtime; their types say Readable/Writable. */
function refStream(stream: unknown, ref: boolean): void {
  const socket = stream as { ref?: () => void; unref?: () => void } | null;
  if (ref) socket?.ref?.();
  else socket?.unref?.();
}

export class SshDialError extends Error {}

/**
 * An http.Agent whose connections are ssh processes. Kept-alive connections are reused, so a
 * command that makes twenty calls starts one or a few ssh processes, not twenty.
 */
export class SshDialAgent extends Agent {
  private readonly args: string[];

  constructor(
    endpoint: Pick<SshEndpoint, 'host' | 'user' | 'port' | 'remoteSocket'>,
    private readonly command = 'ssh',
  ) {
    super({ keepAlive: true });
    this.args = sshDialArgs(endpoint);
  }

  override createConnection(): Duplex {
    // Loaded here: the engine client imports this module, and only ssh:// engines spawn anything.
    const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof ChildProcesses;
    const child = spawn(this.command, this.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    return new SshDialConnection(child, `[${[this.command, ...this.args].join(' ')}]`);
  }

  override keepSocketAlive(socket: Duplex): boolean {
    (socket as SshDialConnection).unref();
    return true;
  }

  override reuseSocket(socket: Duplex, _request: ClientRequest): void {
    (socket as SshDialConnection).ref();
  }
}
