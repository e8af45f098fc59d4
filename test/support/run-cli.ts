/**
 * Runs the built CLI (dist/cli.cjs, package.json's bin) as a user would, and returns what it printed. Used by e2e tests
 * (`npm test` and `npm run test:e2e` build dist/ first) and by CLI-level tests of `config`, which
 * pass the unit project's private bundle instead (unitCliPath, see unit-cli-global-setup.js).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
/** The unit project's own bundle of the CLI, built by its global setup (no `npm run build` needed). */
export const unitCliPath = fileURLToPath(new URL('../../node_modules/.cache/tscompose-unit-cli/cli.cjs', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  /** Added to a clean environment (PATH, HOME and DOCKER_* are kept; COMPOSE_* are not). */
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  readonly timeoutMs?: number;
  /** The CLI to run (default: dist/cli.cjs). */
  readonly cli?: string;
}

/** The environment a test's CLI run starts from: no COMPOSE_* leaking in from the developer. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('COMPOSE_')) continue;
    env[key] = value;
  }
  env.NO_COLOR = '1';
  return env;
}

export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = baseEnv();
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const child = spawn(process.execPath, [options.cli ?? cliPath, ...args], { cwd: options.cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
