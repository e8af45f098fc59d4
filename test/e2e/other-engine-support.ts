/**
 * Shared by the e2e tests that run against an engine other than the default one, each on a socket
 * of its own: Podman's Docker-compatible API (scripts/ensure-podman.sh) and Debian trixie's Docker
 * Engine (scripts/ensure-trixie-engine.sh), both started by npm test's setup. The default engine of
 * the other tests is never touched: tscompose gets DOCKER_HOST, and the engine's state is read back
 * with the docker CLI pointed at the same socket (never through tscompose's own engine layer).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, type CliResult } from '../support/run-cli.js';

const exec = promisify(execFile);

/** An engine under test: its socket, the script that starts it, and where its published ports answer. */
export interface OtherEngine {
  readonly name: string;
  readonly host: string;
  readonly script: string;
  readonly publishIp: string;
}

/** Podman, where scripts/ensure-podman.sh serves it (TSCOMPOSE_PODMAN_RUN moves it). */
export const PODMAN: OtherEngine = {
  name: 'Podman',
  host: `unix://${process.env.TSCOMPOSE_PODMAN_RUN ?? '/run/tscompose-podman'}/podman.sock`,
  script: 'scripts/ensure-podman.sh',
  publishIp: '127.0.0.1',
};

/** Debian trixie's Docker Engine 26, where scripts/ensure-trixie-engine.sh runs it (in a network namespace). */
export const TRIXIE_ENGINE: OtherEngine = {
  name: "Debian trixie's Docker Engine",
  host: `unix://${process.env.TSCOMPOSE_TRIXIE_ENGINE_EXEC_ROOT ?? '/run/tscompose-engine-trixie'}/docker.sock`,
  script: 'scripts/ensure-trixie-engine.sh',
  publishIp: '10.215.0.2',
};

/** `docker --host <engine> ...`: trimmed stdout; throws with stderr when it fails. */
export async function onEngine(engine: OtherEngine, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONTEXT: '' };
  delete env.DOCKER_HOST;
  const { stdout } = await exec('docker', ['--host', engine.host, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** Fails (never skips) when the engine does not answer, saying how to start it; returns its version. */
export async function requireEngine(engine: OtherEngine): Promise<string> {
  try {
    return await onEngine(engine, 'version', '--format', '{{.Server.Version}}');
  } catch (error) {
    throw new Error(`${engine.name} does not answer at ${engine.host}: run \`bash ${engine.script}\` (npm test does this).\n${(error as Error).message}`);
  }
}

export interface EngineContainer {
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

/** A test's project on another engine: the CLI run with DOCKER_HOST set, and cleanup by the project label. */
export class EngineProject {
  readonly stateHome = mkdtempSync(join(tmpdir(), 'compat-state-'));

  constructor(
    readonly engine: OtherEngine,
    readonly name: string,
    readonly dir: string,
  ) {}

  run(args: readonly string[], options: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    return runCli(['-p', this.name, '--progress', 'plain', ...args], {
      cwd: this.dir,
      env: { DOCKER_HOST: this.engine.host, DOCKER_CONTEXT: undefined, XDG_STATE_HOME: this.stateHome, PUBLISH_IP: this.engine.publishIp, ...options.env },
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
    return [...new Set((await onEngine(this.engine, ...args)).split('\n').filter(Boolean))];
  }

  /** The project's containers as the engine reports them, by service. */
  async containers(): Promise<Record<string, EngineContainer>> {
    const ids = await this.ids('ps');
    if (ids.length === 0) return {};
    const details = JSON.parse(await onEngine(this.engine, 'inspect', ...ids)) as Record<string, any>[];
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
        } satisfies EngineContainer,
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

  /** Removes everything labelled with the project from the engine (containers with their volumes first). */
  async cleanup(): Promise<void> {
    const containers = await this.ids('ps');
    if (containers.length > 0) await onEngine(this.engine, 'rm', '-f', '-v', ...containers);
    const networks = await this.ids('network');
    if (networks.length > 0) await onEngine(this.engine, 'network', 'rm', ...networks);
    const volumes = await this.ids('volume');
    if (volumes.length > 0) await onEngine(this.engine, 'volume', 'rm', '-f', ...volumes);
    const images = await this.ids('image');
    if (images.length > 0) await onEngine(this.engine, 'rmi', '-f', ...images);
    rmSync(this.stateHome, { recursive: true, force: true });
  }
}
