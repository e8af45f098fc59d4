/**
 * Shared by the engine-*.test.ts files: the engine under test, and cleanup that removes exactly
 * what carries a test's own project label (never anything else on the shared engine).
 */
import { createDockerEngine } from '../../src/apply/docker-engine.js';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import type { Engine } from '../../src/apply/engine.js';
import { docker } from '../support/docker-cli.js';

export const TEST_IMAGE = 'tscompose-test/busybox:latest';

/** The engine the tests run against, resolved like the CLI does from the environment. */
export function realEngine(): Engine {
  return createDockerEngine(resolveEndpoint(process.env).endpoint);
}

export function projectLabels(project: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'com.docker.compose.project': project, ...extra };
}

async function listIds(kind: 'ps' | 'network' | 'volume' | 'image', project: string): Promise<string[]> {
  const filter = `label=com.docker.compose.project=${project}`;
  const args =
    kind === 'ps'
      ? ['ps', '-aq', '--filter', filter]
      : kind === 'image'
        ? ['images', '-q', '--filter', filter]
        : [kind, 'ls', '-q', '--filter', filter];
  const out = await docker(...args);
  return out === '' ? [] : [...new Set(out.split('\n'))];
}

/**
 * The anonymous volumes (engine-made: a 64-hex name, no labels) that these containers mount.
 * `docker rm -v` removes only the ones a container created itself, not those a recreate passed
 * on to it by name, so the cleanup removes them explicitly.
 */
async function anonymousVolumesOf(containers: readonly string[]): Promise<string[]> {
  const format = '{{range .Mounts}}{{if eq .Type "volume"}}{{println .Name}}{{end}}{{end}}';
  const mounts = (await Promise.all(containers.map((id) => docker('inspect', '--format', format, id).catch(() => '')))).join('\n');
  const names = [...new Set(mounts.split('\n').filter((name) => /^[0-9a-f]{64}$/.test(name)))];
  const unlabelled: string[] = [];
  for (const name of names) {
    const labels = await docker('volume', 'inspect', '--format', '{{len .Labels}}', name).catch(() => undefined);
    if (labels === '0') unlabelled.push(name);
  }
  return unlabelled;
}

/** Removes the containers (with their anonymous volumes), networks, volumes and images labelled with `project`. */
export async function removeProject(project: string): Promise<void> {
  const containers = await listIds('ps', project);
  const anonymous = containers.length > 0 ? await anonymousVolumesOf(containers) : [];
  // One by one: the engine can list the ghost of a failed removal that it then cannot find.
  for (const id of containers) await docker('rm', '-f', '-v', id).catch(() => undefined);
  if (anonymous.length > 0) await docker('volume', 'rm', '-f', ...anonymous).catch(() => undefined);
  const networks = await listIds('network', project);
  if (networks.length > 0) await docker('network', 'rm', ...networks);
  const volumes = await listIds('volume', project);
  if (volumes.length > 0) await docker('volume', 'rm', '-f', ...volumes);
  await removeImages(await listIds('image', project));
}

/**
 * Removes images one by one, children before parents: an image built FROM another of the project's
 * carries its labels, the listing may name the parent first (both made within a second), and the
 * engine refuses to remove an image that has children. What still cannot go fails the cleanup.
 */
async function removeImages(images: readonly string[]): Promise<void> {
  let left = [...images];
  while (left.length > 0) {
    const failures: { id: string; error: unknown }[] = [];
    for (const id of left) await docker('rmi', '-f', id).catch((error: unknown) => failures.push({ id, error }));
    // Gone with a child removed before it (an untagged parent is pruned), or still there.
    const remaining = (await Promise.all(failures.map(async (failure) => ((await docker('image', 'inspect', failure.id).then(() => true, () => false)) ? failure : undefined)))).filter((failure) => failure !== undefined);
    if (remaining.length === 0) return;
    if (remaining.length === left.length) throw remaining[0]!.error;
    left = remaining.map((failure) => failure.id);
  }
}

/** Collects an async iterable until `stop` says so (or it ends). */
export async function collectUntil<T>(items: AsyncIterable<T>, stop: (collected: readonly T[]) => boolean): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) {
    collected.push(item);
    if (stop(collected)) break;
  }
  return collected;
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
