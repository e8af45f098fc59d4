/**
 * Shared by the attached-*.test.ts files: attached `up` runs in the foreground, so these tests
 * spawn the CLI themselves (to read its output as it comes and to signal it by its own PID).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { baseEnv, cliPath } from '../support/run-cli.js';
import type { TestProject } from './lifecycle-support.js';

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from spawn to exit. */
  readonly elapsedMs: number;
}

/** A running `tscompose -p <project> --progress plain ...` in the project's fixture directory. */
export class CliRun {
  private readonly child: ChildProcess;
  private out = '';
  private err = '';
  private readonly started = Date.now();
  private readonly waiters: (() => void)[] = [];
  readonly finished: Promise<Finished>;

  constructor(project: TestProject, args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}) {
    this.child = spawn(process.execPath, [cliPath, '-p', project.name, '--progress', 'plain', ...args], {
      cwd: project.dir,
      env: { ...baseEnv(), XDG_STATE_HOME: project.stateHome, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const notify = (): void => this.waiters.splice(0).forEach((wake) => wake());
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.out += chunk;
      notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.err += chunk;
      notify();
    });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    this.finished = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => {
        clearTimeout(timer);
        notify();
        resolve({ code, signal, stdout: this.out, stderr: this.err, elapsedMs: Date.now() - this.started });
      });
    });
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Resolves once `text` has appeared on the stream (rejects if the process ends first). */
  async waitFor(stream: 'stdout' | 'stderr', text: string | RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const has = (): boolean => {
      const output = stream === 'stdout' ? this.out : this.err;
      return typeof text === 'string' ? output.includes(text) : text.test(output);
    };
    while (!has()) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`tscompose ended before printing ${String(text)} on ${stream}\n${this.out}\n${this.err}`);
      }
      if (Date.now() > deadline) throw new Error(`no ${String(text)} on ${stream} after ${timeoutMs} ms\n${this.out}\n${this.err}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** SIGINT to this process (by the PID this test spawned), like Ctrl-C. */
  interrupt(): void {
    this.child.kill('SIGINT');
  }

  /** Any signal to this process (by its PID): SIGKILL for a crash. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Crash output: Node's stack frames or the CLI's internal-error banner. */
export const CRASH = /internal error|\n\s+at \S|panic|Unhandled|TypeError|ReferenceError/;
