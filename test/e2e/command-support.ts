/**
 * Shared by the e2e tests of the container commands (exec, run, attach, events, ...): the CLI run
 * in a pseudo-terminal (util-linux `script`, so stdin and stdout are terminals), and the CLI run in
 * the background to be signalled or read while it runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { baseEnv, cliPath, type CliResult } from '../support/run-cli.js';
import type { TestProject } from './lifecycle-support.js';

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function environment(project: TestProject): Record<string, string> {
  return { ...baseEnv(), XDG_STATE_HOME: project.stateHome };
}

/** `tscompose -p <name> <args>` with a pseudo-terminal for stdin and stdout; the output has the terminal's \r\n. */
export function inTerminal(project: TestProject, args: readonly string[]): Promise<CliResult> {
  const command = [process.execPath, cliPath, '-p', project.name, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: project.dir, env: environment(project), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A CLI run in the background: its output so far, a wait for a text in it, and its end. */
export class BackgroundCli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(project: TestProject, args: readonly string[]) {
    this.child = spawn(process.execPath, [cliPath, '-p', project.name, '--progress', 'plain', ...args], {
      cwd: project.dir,
      env: environment(project),
      stdio: 'pipe',
    });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin.end();
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Resolves once stdout holds `text`; fails when the process ends first or after `timeoutMs`. */
  async waitForOutput(text: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stdout.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) before printing "${text}":\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`"${text}" not printed within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends it if it still runs (test cleanup). */
  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
