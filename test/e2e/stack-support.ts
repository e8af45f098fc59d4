/**
 * e2e support for `tscompose stack`: a stack per test, its compose files written into a temporary
 * directory of its own (tests change them between deploys), and its state read back through the
 * docker CLI. Cleanup removes only what carries the stack's label (services, secrets, configs,
 * networks, then the volumes the tasks created), waiting for the tasks to be gone first.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { runCli, type CliResult } from '../support/run-cli.js';

export const BUSYBOX = 'tscompose-test/busybox:latest';

export class TestStack {
  dir = '';
  constructor(readonly name: string) {}

  async write(files: Record<string, string>): Promise<void> {
    if (this.dir === '') this.dir = await mkdtemp(join(tmpdir(), `${this.name}-`));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, file)), { recursive: true });
      await writeFile(join(this.dir, file), text);
    }
  }

  /** `tscompose stack <args>`, with `--resolve-image never` on deploys unless the test says otherwise. */
  run(args: readonly string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
    return runCli(['stack', ...args], { cwd: this.dir || tmpdir(), timeoutMs: options.timeoutMs ?? 180_000, ...options });
  }

  deploy(args: readonly string[] = [], options: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    return this.run(['deploy', '--wait-timeout', '90', ...args, this.name], options);
  }

  /** Deploys and fails the test with the CLI's output when the deploy fails. */
  async deployed(args: readonly string[] = [], options: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    const result = await this.deploy(args, options);
    if (result.code !== 0) throw new Error(`stack deploy ${this.name} exited with ${result.code}:\n${result.stderr}\n${result.stdout}`);
    return result;
  }

  /** `docker service inspect` of one service of the stack. */
  async service(service: string): Promise<Record<string, any>> {
    return JSON.parse(await docker('service', 'inspect', `${this.name}_${service}`))[0];
  }

  /** Running tasks' containers of a service on this node. */
  async containers(service: string): Promise<string[]> {
    const ids = await docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${this.name}_${service}`);
    return ids === '' ? [] : ids.split('\n');
  }

  async cleanup(): Promise<void> {
    await removeStack(this.name);
    if (this.dir !== '') await rm(this.dir, { recursive: true, force: true });
  }
}

/** Everything labelled with the stack, in the order that works: services, (tasks gone), secrets, configs, networks, volumes. */
export async function removeStack(stack: string): Promise<void> {
  const label = `label=com.docker.stack.namespace=${stack}`;
  const list = async (...args: string[]): Promise<string[]> => {
    const out = await docker(...args).catch(() => '');
    return out === '' ? [] : out.split('\n');
  };
  const services = await list('service', 'ls', '-q', '--filter', label);
  if (services.length > 0) await docker('service', 'rm', ...services).catch(() => undefined);
  for (let i = 0; i < 120 && (await list('ps', '-q', '--filter', label)).length > 0; i++) await delay(500);
  // Engine 20.10 leaves the containers of a removed job's finished tasks behind.
  const stopped = await list('ps', '-aq', '--filter', label);
  if (stopped.length > 0) await docker('rm', '-v', ...stopped).catch(() => undefined);
  for (const kind of ['secret', 'config']) {
    const ids = await list(kind, 'ls', '-q', '--filter', label);
    if (ids.length > 0) await docker(kind, 'rm', ...ids).catch(() => undefined);
  }
  for (let i = 0; i < 60; i++) {
    const networks = await list('network', 'ls', '-q', '--filter', label);
    if (networks.length === 0) break;
    await docker('network', 'rm', ...networks).catch(() => undefined);
    await delay(500);
  }
  const volumes = await list('volume', 'ls', '-q', '--filter', label);
  if (volumes.length > 0) await docker('volume', 'rm', '-f', ...volumes).catch(() => undefined);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value, or throws after `timeoutMs` (the check's last error says why). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${last instanceof Error ? last.message : String(last ?? 'no value')}`);
    await delay(300);
  }
}
