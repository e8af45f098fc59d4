/**
 * The db/proxy/app example on a swarm: `scripts/run-example.sh stack` on a temporary copy of
 * examples/db-proxy-app deploys compose.yaml + compose.stack.yaml as a stack, three app replicas
 * behind the proxy (dnsrr and host-mode ports, on ports of its own so that the compose example's
 * test can run at the same time); then the app's image is updated while requests run through the
 * proxy, and the test reports how many of them failed (the target, with order: start-first and
 * the healthcheck: none).
 *
 * The base image and the three images are the compose example's: seeded and built by the script
 * when missing (minutes on a fresh machine, once per engine), reused otherwise.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { baseEnv, repoRoot, runCli } from '../support/run-cli.js';
import { removeStack } from './stack-support.js';

jest.setTimeout(180_000);
const FIRST_RUN_TIMEOUT_MS = 15 * 60_000;

const STACK = 'swarm-example';
const HTTP_PORT = 28080;
const HTTPS_PORT = 28443;
const V2 = 'db-proxy-app/app:swarm-e2e-v2';
const EXAMPLE = join(repoRoot, 'examples', 'db-proxy-app');
const workDir = mkdtempSync(join(tmpdir(), 'swarm-example-'));
const exampleCopy = join(workDir, 'db-proxy-app');
const env = { EXAMPLE_DIR: exampleCopy, STACK_NAME: STACK, EXAMPLE_HTTP_PORT: String(HTTP_PORT), EXAMPLE_HTTPS_PORT: String(HTTPS_PORT) };

function runScript(args: readonly string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'run-example.sh'), ...args], { cwd: repoRoot, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function visit(): Promise<{ status: number; app?: string }> {
  const res = await fetch(`http://127.0.0.1:${HTTP_PORT}/`, { signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  return { status: res.status, ...(res.ok ? { app: (JSON.parse(text) as { app: string }).app } : {}) };
}

async function cleanup(): Promise<void> {
  await removeStack(STACK);
  await docker('image', 'rm', V2).catch(() => undefined);
}

beforeAll(async () => {
  await cleanup();
  cpSync(EXAMPLE, exampleCopy, { recursive: true, filter: (source) => !['ssl', 'nginx'].includes(source.slice(EXAMPLE.length + 1)) });
});

afterAll(async () => {
  try {
    await cleanup();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
});

describe('the db/proxy/app example on a swarm', () => {
  test('npm run example -- stack must deploy it with three app replicas behind the proxy and print the URL', async () => {
    const result = await runScript(['stack'], FIRST_RUN_TIMEOUT_MS);
    if (result.code !== 0) throw new Error(`scripts/run-example.sh stack exited ${result.code}:\n${result.output}`);
    expect(result.output).toContain(`example: http://localhost:${HTTP_PORT}/ answered through proxy -> app -> db`);
    expect(result.output).toMatch(/example: stack converged \(\d+ s\)/);
    expect(await docker('service', 'ls', '--filter', `name=${STACK}_app`, '--format', '{{.Replicas}}')).toBe('3/3');
  }, FIRST_RUN_TIMEOUT_MS + 30_000);

  test('requests through the proxy must reach all three replicas', async () => {
    const apps = new Set<string>();
    // nginx resolves app once per 5 s and spreads requests over the replicas it got.
    for (let i = 0; i < 60 && apps.size < 3; i++) {
      const answer = await visit();
      expect(answer.status).toBe(200);
      apps.add(answer.app!);
    }
    expect(apps.size).toBe(3);
  });

  test('updating the app image while requests run through the proxy must fail none of them', async () => {
    // A new image (its own ID), as a rebuild would make.
    await new Promise<void>((resolve, reject) => {
      const build = spawn('docker', ['build', '-q', '-t', V2, '-'], { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, DOCKER_BUILDKIT: '0' } });
      let errors = '';
      build.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
      build.stdin.end('FROM db-proxy-app/app:latest\nLABEL tscompose.e2e.version=2\n');
      build.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker build exited ${code}: ${errors}`))));
    });
    let ok = 0;
    const failures: string[] = [];
    let running = true;
    const load = async (): Promise<void> => {
      while (running) {
        try {
          const answer = await visit();
          if (answer.status === 200) ok++;
          else failures.push(`HTTP ${answer.status}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const clients = [load(), load(), load()];
    const deploy = await runCli(
      ['stack', 'deploy', '-c', join(exampleCopy, 'compose.yaml'), '-c', join(exampleCopy, 'compose.stack.yaml'), '--wait-timeout', '150', STACK],
      { cwd: exampleCopy, env: { ...env, APP_TAG: 'swarm-e2e-v2' }, timeoutMs: 170_000 },
    );
    running = false;
    await Promise.all(clients);
    // The report this test exists for.
    console.log(`rolling update of ${STACK}_app under load: ${ok} requests answered, ${failures.length} failed${failures.length ? `: ${failures.slice(0, 5).join('; ')}` : ''}`);
    if (deploy.code !== 0) throw new Error(`stack deploy exited ${deploy.code}:\n${deploy.stderr}`);
    expect(deploy.stderr).toContain(`Service ${STACK}_app  Updating image "db-proxy-app/app:latest" -> "${V2}"`);
    const service = JSON.parse(await docker('service', 'inspect', `${STACK}_app`))[0];
    expect(service.Spec.TaskTemplate.ContainerSpec.Image).toBe(V2);
    expect(service.UpdateStatus.State).toBe('completed');
    expect(ok).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
