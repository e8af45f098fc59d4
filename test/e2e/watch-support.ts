/**
 * Shared by the watch e2e tests: a fixture copied to a temporary directory (the checkout is never
 * written), `tscompose watch` (or `up --watch`) spawned on it under the test's own project name
 * and stopped by its PID, and probes of the real containers through the docker CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { baseEnv, cliPath } from '../support/run-cli.js';
import { removeProject } from './engine-support.js';
import { fixture } from './lifecycle-support.js';
import { runCli, type CliResult } from '../support/run-cli.js';

export interface Mark {
  readonly out: number;
  readonly err: number;
}

export interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class WatchProject {
  /** The temporary copy of the fixture the test edits. */
  readonly dir: string;
  readonly stateHome = mkdtempSync(join(tmpdir(), 'tscw-state-'));
  private child?: ChildProcess;
  private exited?: Promise<Exit>;
  stdout = '';
  stderr = '';

  constructor(
    readonly name: string,
    fixtureName: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    cpSync(fixture(fixtureName), this.dir, { recursive: true });
  }

  path(relative: string): string {
    return join(this.dir, relative);
  }

  private env(): Record<string, string> {
    return { ...baseEnv(), XDG_STATE_HOME: this.stateHome };
  }

  /** Spawns `tscompose -p <name> --progress plain <args>` and resolves once it printed `ready` (default "Watch enabled"). */
  async start(args: readonly string[] = ['watch'], ready: RegExp = /^Watch enabled$/m, timeoutMs = 90_000): Promise<void> {
    const from = this.mark();
    const child = spawn(process.execPath, [cliPath, '-p', this.name, '--progress', 'plain', ...args], {
      cwd: this.dir,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })));
    await this.waitFor(ready, timeoutMs, from);
    // The watcher is ready once "Watch enabled" and the target list are out; give it a moment.
    await sleep(300);
  }

  /**
   * Waits until what was printed since `from` (stdout and stderr, each on its own) matches
   * `pattern`; returns that output.
   */
  async waitFor(pattern: RegExp, timeoutMs = 20_000, from: Mark = { out: 0, err: 0 }): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = this.stdout.slice(from.out);
      const err = this.stderr.slice(from.err);
      if (pattern.test(out) || pattern.test(err)) return `${out}\n${err}`;
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`tscompose exited (${this.child.exitCode}) before printing ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`${pattern} not printed within ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await sleep(50);
    }
  }

  /** The current end of the output: waitFor(..., mark) then only looks at what comes after. */
  mark(): Mark {
    return { out: this.stdout.length, err: this.stderr.length };
  }

  /** What was printed since `from`. */
  since(from: Mark): { stdout: string; stderr: string } {
    return { stdout: this.stdout.slice(from.out), stderr: this.stderr.slice(from.err) };
  }

  /** Writes a file in place. */
  write(relative: string, content: string): void {
    writeFileSync(this.path(relative), content);
  }

  /** Writes a file the way many editors save: a new file renamed over the old one (a new inode). */
  replace(relative: string, content: string): void {
    writeFileSync(`${this.path(relative)}.saving`, content);
    renameSync(`${this.path(relative)}.saving`, this.path(relative));
  }

  /** Sends SIGINT to the process this test started (by its PID) and waits for it to exit. */
  async interrupt(): Promise<Exit> {
    if (!this.child || !this.exited) throw new Error('not started');
    if (this.child.exitCode === null) process.kill(this.child.pid!, 'SIGINT');
    const timer = setTimeout(() => this.child?.exitCode === null && process.kill(this.child.pid!, 'SIGKILL'), 20_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs another tscompose command on the project (not watching). */
  run(args: readonly string[]): Promise<CliResult> {
    return runCli(['-p', this.name, '--progress', 'plain', ...args], { cwd: this.dir, env: { XDG_STATE_HOME: this.stateHome } });
  }

  async cleanup(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      process.kill(this.child.pid!, 'SIGKILL');
      await this.exited;
    }
    await removeProject(this.name);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.stateHome, { recursive: true, force: true });
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** `docker exec <container> <command...>` stdout, or undefined when it fails. */
export async function execIn(container: string, ...command: string[]): Promise<string | undefined> {
  try {
    return await docker('exec', container, ...command);
  } catch {
    return undefined;
  }
}

/** Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The file's content in the container once it equals `expected` (polled), else fails. */
export function contentBecomes(container: string, path: string, expected: string, timeoutMs = 10_000): Promise<string> {
  return eventually(async () => {
    const content = await execIn(container, 'cat', path);
    return content === expected ? content : undefined;
  }, timeoutMs, `${container}:${path} = ${JSON.stringify(expected)}`);
}

/** `State.StartedAt` of a container (changes on every start or restart). */
export async function startedAt(container: string): Promise<string> {
  return docker('inspect', '--format', '{{.State.StartedAt}}', container);
}

export async function containerId(container: string): Promise<string> {
  return docker('inspect', '--format', '{{.Id}}', container);
}

export async function logsOf(container: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile('docker', ['logs', container], (error, stdout, stderr) => (error ? reject(error) : resolve(`${stdout}${stderr}`))),
  );
}
