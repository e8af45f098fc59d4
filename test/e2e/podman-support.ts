/**
 * Shared by the e2e tests that run against Podman's Docker-compatible API, started on a socket of
 * its own by scripts/ensure-podman.sh (npm test's setup). The Docker engine of the other tests is
 * never touched: tscompose gets DOCKER_HOST, and the engine's state is read back with the docker
 * CLI pointed at the same socket (never through tscompose's own engine layer).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, type CliResult } from '../support/run-cli.js';

const exec = promisify(execFile);

/** Where scripts/ensure-podman.sh serves Podman (TSCOMPOSE_PODMAN_RUN moves it). */
export const PODMAN_HOST = `unix://${process.env.TSCOMPOSE_PODMAN_RUN ?? '/run/tscompose-podman'}/podman.sock`;

/** `docker --host <podman> ...`: trimmed stdout; throws with stderr when it fails. */
export async function onPodman(...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONTEXT: '' };
  delete env.DOCKER_HOST;
  const { stdout } = await exec('docker', ['--host', PODMAN_HOST, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** Fails (never skips) when Podman does not answer, saying how to start it. */
export async function requirePodman(): Promise<void> {
  try {
    await onPodman('version', '--format', '{{.Server.Version}}');
  } catch (error) {
    throw new Error(`Podman does not answer at ${PODMAN_HOST}: run \`bash scripts/ensure-podman.sh\` (npm test does this).\n${(error as Error).message}`);
  }
}

export interface PodmanContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  readonly status: string;
  readonly exitCode: number;
  readonly startedAt: string;
  readonly health?: { Status: string; Log: { Start: string; End: string; ExitCode: number }[] | null };
  readonly env: string[];
  readonly stopTimeout: number | null;
  readonly ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
}

/** A test's project on Podman: the CLI run with DOCKER_HOST set, and cleanup by the project label. */
export class PodmanProject {
  readonly stateHome = mkdtempSync(join(tmpdir(), 'compat-state-'));

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {}

  run(args: readonly string[], options: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    return runCli(['-p', this.name, '--progress', 'plain', ...args], {
      cwd: this.dir,
      env: { DOCKER_HOST: PODMAN_HOST, DOCKER_CONTEXT: undefined, XDG_STATE_HOME: this.stateHome, ...options.env },
    });
  }

  async ok(args: readonly string[], options: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`tscompose ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  private async ids(kind: 'ps' | 'network' | 'volume' | 'image'): Promise<string[]> {
    const filter = `label=com.docker.compose.project=${this.name}`;
    const args = kind === 'ps' ? ['ps', '-aq', '--filter', filter] : kind === 'image' ? ['images', '-q', '--filter', filter] : [kind, 'ls', '-q', '--filter', filter];
    return [...new Set((await onPodman(...args)).split('\n').filter(Boolean))];
  }

  /** The project's containers as Podman reports them, by name. */
  async containers(): Promise<Record<string, PodmanContainer>> {
    const ids = await this.ids('ps');
    if (ids.length === 0) return {};
    const details = JSON.parse(await onPodman('inspect', ...ids)) as Record<string, any>[];
    return Object.fromEntries(
      details.map((entry) => [
        entry.Config.Labels['com.docker.compose.service'] as string,
        {
          id: entry.Id,
          name: (entry.Name as string).replace(/^\//, ''),
          service: entry.Config.Labels['com.docker.compose.service'],
          status: entry.State.Status,
          exitCode: entry.State.ExitCode,
          startedAt: entry.State.StartedAt,
          ...(entry.State.Health ? { health: entry.State.Health } : {}),
          env: entry.Config.Env ?? [],
          stopTimeout: entry.Config.StopTimeout ?? null,
          ports: entry.NetworkSettings?.Ports ?? {},
        } satisfies PodmanContainer,
      ]),
    );
  }

  networks(): Promise<string[]> {
    return this.ids('network');
  }

  volumes(): Promise<string[]> {
    return this.ids('volume');
  }

  images(): Promise<string[]> {
    return this.ids('image');
  }

  /** Removes everything labelled with the project from Podman (containers with their volumes first). */
  async cleanup(): Promise<void> {
    const containers = await this.ids('ps');
    if (containers.length > 0) await onPodman('rm', '-f', '-v', ...containers);
    const networks = await this.ids('network');
    if (networks.length > 0) await onPodman('network', 'rm', ...networks);
    const volumes = await this.ids('volume');
    if (volumes.length > 0) await onPodman('volume', 'rm', '-f', ...volumes);
    const images = await this.ids('image');
    if (images.length > 0) await onPodman('rmi', '-f', ...images);
    rmSync(this.stateHome, { recursive: true, force: true });
  }
}
