/**
 * Shared by the lifecycle e2e tests (up, down, start, stop, restart against the real engine): run
 * the built CLI on a fixture directory under a test's own project name, and read the engine's
 * state back through the docker CLI (never through tscompose's own engine layer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker } from '../support/docker-cli.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { removeProject } from './engine-support.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/**
 * One project of one test file: its fixture, its name, and a private state directory so the
 * project lock never touches the developer's home.
 */
export class TestProject {
  readonly stateHome = mkdtempSync(join(tmpdir(), 'tscl-state-'));

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {}

  /** `tscompose -p <name> --progress plain <args>` in the fixture directory. */
  run(
    args: readonly string[],
    options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number; input?: string } = {},
  ): Promise<CliResult> {
    return runCli(['-p', this.name, '--progress', 'plain', ...args], {
      cwd: options.cwd ?? this.dir,
      env: { XDG_STATE_HOME: this.stateHome, ...options.env },
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.input === undefined ? {} : { input: options.input }),
    });
  }

  /** Like run, but the command must succeed. */
  async ok(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {}): Promise<CliResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`tscompose ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  containers(): Promise<ContainerState[]> {
    return containersOf(this.name);
  }

  async cleanup(): Promise<void> {
    await removeProject(this.name);
    rmSync(this.stateHome, { recursive: true, force: true });
  }
}

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  readonly number: string;
  readonly status: string;
  readonly exitCode: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly restartCount: number;
  readonly health?: string;
  readonly labels: Record<string, string>;
  readonly env: string[];
  readonly mounts: { Type: string; Name?: string; Source: string; Destination: string }[];
}

/** Every container labelled for the project, sorted by name, as `docker inspect` reports it. */
export async function containersOf(project: string): Promise<ContainerState[]> {
  const ids = (await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  // The engine can list the ghost of a failed removal that inspect no longer finds: skipped.
  const details = (
    await Promise.all(ids.map((id) => docker('inspect', id).then((text) => JSON.parse(text) as Record<string, any>[], () => [])))
  ).flat();
  return details
    .map((entry) => ({
      id: entry.Id as string,
      name: (entry.Name as string).slice(1),
      service: entry.Config.Labels['com.docker.compose.service'] as string,
      number: entry.Config.Labels['com.docker.compose.container-number'] as string,
      status: entry.State.Status as string,
      exitCode: entry.State.ExitCode as number,
      startedAt: entry.State.StartedAt as string,
      finishedAt: entry.State.FinishedAt as string,
      restartCount: entry.RestartCount as number,
      ...(entry.State.Health ? { health: entry.State.Health.Status as string } : {}),
      labels: entry.Config.Labels as Record<string, string>,
      env: entry.Config.Env as string[],
      mounts: entry.Mounts as ContainerState['mounts'],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `name status` per container: a compact picture to compare in one assertion. */
export async function statusOf(project: string): Promise<string[]> {
  return (await containersOf(project)).map((container) => `${container.name} ${container.status}`);
}

export async function networksOf(project: string): Promise<string[]> {
  const out = await docker('network', 'ls', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Name}}');
  return out.split('\n').filter(Boolean).sort();
}

export async function volumesOf(project: string): Promise<string[]> {
  const out = await docker('volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`);
  return out.split('\n').filter(Boolean).sort();
}

export async function exists(kind: 'network' | 'volume' | 'container', name: string): Promise<boolean> {
  try {
    await docker(kind, 'inspect', name);
    return true;
  } catch {
    return false;
  }
}

/** Runs a shell command in a container and returns its output. */
export function shell(container: string, script: string): Promise<string> {
  return docker('exec', container, 'sh', '-c', script);
}
