/**
 * Shared by the rel-*.test.ts files (the reliability promises, the fault scenarios, the
 * interruptions): what every scenario checks at its end. `down -v` must leave nothing labelled
 * for the project, and no anonymous volume any of its containers ever mounted may survive it.
 * The volumes are recorded while the containers exist (after `down` nothing links them to the
 * project any more), so the check never depends on what other projects on the engine do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { docker } from '../support/docker-cli.js';
import { containersOf, networksOf, volumesOf, type TestProject } from './lifecycle-support.js';

/** The anonymous volumes (64 hex digits, no labels) the project's containers mount now. */
export async function anonymousVolumesOf(project: string): Promise<string[]> {
  const names = new Set<string>();
  for (const container of await containersOf(project)) {
    for (const mount of container.mounts) if (mount.Type === 'volume' && mount.Name && /^[0-9a-f]{64}$/.test(mount.Name)) names.add(mount.Name);
  }
  const anonymous: string[] = [];
  for (const name of names) {
    const labels = await docker('volume', 'inspect', '--format', '{{len .Labels}}', name).catch(() => undefined);
    if (labels === '0') anonymous.push(name);
  }
  return anonymous.sort();
}

/** Every anonymous volume a project's containers were seen to mount. */
export class VolumeRecord {
  readonly seen = new Set<string>();

  constructor(readonly project: string) {}

  async record(): Promise<string[]> {
    const now = await anonymousVolumesOf(this.project);
    for (const name of now) this.seen.add(name);
    return now;
  }

  private stream?: { process: ChildProcess; closed: Promise<void>; created: Set<string>; mounts: [string, string][] };

  /**
   * Starts following the engine's events: the anonymous volumes that containers of the project
   * mount from now on are recorded too (stopWatching), also those of a container that lived only
   * briefly (a replacement rolled back, a duplicate discarded), which no listing ever sees. A
   * stream, since the engine replays only its last 256 events.
   */
  watch(): void {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const child = spawn('docker', ['events', '--since', since, '--filter', 'type=container', '--filter', 'type=volume', '--filter', 'event=create',
      '--filter', 'event=mount', '--format', '{{.Type}} {{.Action}} {{.Actor.ID}} {{index .Actor.Attributes "container"}} {{index .Actor.Attributes "com.docker.compose.project"}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const stream = { process: child, closed: new Promise<void>((resolve) => child.on('close', () => resolve())), created: new Set<string>(), mounts: [] as [string, string][] };
    // The follower never holds the test process open: when a clean-up fails before stopWatching,
    // jest still exits instead of waiting on the stream for ever.
    child.unref();
    (child.stdout as Socket).unref();
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [type, action, id, container, project] = line.split(' ');
        if (type === 'container' && action === 'create' && project === this.project) stream.created.add(id);
        if (type === 'volume' && action === 'mount' && /^[0-9a-f]{64}$/.test(id)) stream.mounts.push([id, container]);
      }
    });
    this.stream = stream;
  }

  /** Stops following the events (after a moment for the last ones to arrive) and records what they showed. */
  async stopWatching(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined) return;
    this.stream = undefined;
    await sleep(500);
    stream.process.kill('SIGTERM');
    await stream.closed;
    for (const [volume, container] of stream.mounts) if (stream.created.has(container)) this.seen.add(volume);
  }

  /** Recorded volumes that still exist although no container of the project mounts them: leaked. */
  async unmounted(): Promise<string[]> {
    const mounted = new Set(await anonymousVolumesOf(this.project));
    return (await this.surviving()).filter((name) => !mounted.has(name));
  }

  /** The recorded volumes that still exist. */
  async surviving(): Promise<string[]> {
    const left: string[] = [];
    for (const name of this.seen) {
      if ((await docker('volume', 'inspect', '--format', '{{.Name}}', name).catch(() => '')) !== '') left.push(name);
    }
    return left.sort();
  }

  /** Removes what survived (afterAll, so a failed test leaks nothing either). */
  async removeSurvivors(): Promise<void> {
    await this.stopWatching();
    for (const name of await this.surviving()) await docker('volume', 'rm', '-f', name).catch(() => undefined);
  }
}

/** What is left on the engine for the project: labelled containers, networks, volumes, and recorded anonymous volumes. */
export async function leftovers(project: string, volumes?: VolumeRecord): Promise<{ containers: string[]; networks: string[]; volumes: string[]; anonymous: string[] }> {
  return {
    containers: (await containersOf(project)).map((container) => container.name),
    networks: await networksOf(project),
    volumes: await volumesOf(project),
    anonymous: volumes ? await volumes.surviving() : [],
  };
}

export const NOTHING_LEFT = { containers: [], networks: [], volumes: [], anonymous: [] };

/** `down -v` must succeed and leave nothing of the project (the common end of every scenario). */
export async function downLeavesNothing(project: TestProject, volumes: VolumeRecord): Promise<void> {
  await volumes.record();
  await project.ok(['down', '-v', '-t', '0']);
  expect(await leftovers(project.name, volumes)).toEqual(NOTHING_LEFT);
}

/** `name status` of each container, and whether every name is canonical (no `<id>_` temporary name). */
export async function replicasOf(project: string): Promise<string[]> {
  return (await containersOf(project)).map((container) => `${container.name} ${container.status}`);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
