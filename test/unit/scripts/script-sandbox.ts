/**
 * Runs one of this repository's shell scripts without letting it touch the machine: PATH holds
 * only stubs (each call is logged) and links to the few real tools the script needs, HOME is a
 * directory of the sandbox, and a fake engine answers /_ping on a unix socket when a test or a
 * stub starts one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../support/run-cli.js';

const FAKE_ENGINE = fileURLToPath(new URL('./fake-ping-engine.mjs', import.meta.url));

export interface ScriptResult {
  readonly code: number | null;
  readonly output: string;
}

/** Where the test's own PATH finds a command. */
function onPath(tool: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, tool);
    if (dir !== '' && existsSync(path)) return path;
  }
  throw new Error(`${tool} is not on PATH; the script under test needs it`);
}

export class ScriptSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'tscx-script-'));
  readonly bin = join(this.dir, 'bin');
  private readonly tools = join(this.dir, 'tools');
  private readonly callLog = join(this.dir, 'calls.log');
  private readonly enginePids = join(this.dir, 'engine.pids');

  /** `tools`: the real commands the script may run, besides node and the stubs. */
  constructor(tools: readonly string[]) {
    mkdirSync(this.bin);
    mkdirSync(this.tools);
    symlinkSync(process.execPath, join(this.tools, 'node'));
    for (const tool of tools) symlinkSync(onPath(tool), join(this.tools, tool));
  }

  /**
   * A command that logs `name args...` and then runs `body` (bash, with the arguments in "$@"); on
   * PATH unless `dir` puts it elsewhere (for a stub that an install step links in later).
   */
  stub(name: string, body = 'exit 0', dir = this.bin): void {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/bash\nprintf '%s\\n' "${name} $*" >>'${this.callLog}'\n${body}\n`);
    chmodSync(file, 0o755);
  }

  /**
   * Bash that starts the fake engine on `socket` (a shell word, may use "$@") in the background,
   * detached like a daemon, and returns once it listens: what a service manager does.
   */
  startEngineCommand(socket: string): string {
    return [
      `setsid node '${FAKE_ENGINE}' ${socket} >/dev/null 2>&1 </dev/null &`,
      `echo $! >>'${this.enginePids}'`,
      `for _ in $(seq 1 100); do [ -S ${socket} ] && break; sleep 0.05; done`,
    ].join('\n');
  }

  /** Starts the fake engine from the test: an engine that already runs. */
  startEngine(socket: string): void {
    execFileSync('/bin/bash', ['-c', this.startEngineCommand(`'${socket}'`)], { env: { PATH: `${this.tools}:/usr/bin:/bin` } });
  }

  /** Every stub call so far, as `name args...`. */
  calls(): string[] {
    return existsSync(this.callLog) ? readFileSync(this.callLog, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** Runs scripts/<script> (with `args`) with bash in a clean environment: PATH, HOME and `env` only. */
  run(script: string, env: Record<string, string> = {}, timeoutMs = 30_000, args: readonly string[] = []): Promise<ScriptResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/bash', [join(repoRoot, 'scripts', script), ...args], {
        cwd: this.dir,
        env: { PATH: `${this.bin}:${this.tools}`, HOME: this.dir, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  /** Stops the fake engines this sandbox started (by their PIDs) and removes the sandbox. */
  cleanup(): void {
    if (existsSync(this.enginePids)) {
      for (const pid of readFileSync(this.enginePids, 'utf8').split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
