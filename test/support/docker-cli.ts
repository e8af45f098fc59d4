/**
 * e2e tests check real engine state through the docker CLI, independently of tscompose's own
 * engine layer, so a bug there cannot hide itself.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs `docker ...` and returns its trimmed stdout; throws with stderr when it fails. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** `docker inspect` of one object, parsed. */
export async function inspect<T = Record<string, any>>(kind: 'container' | 'network' | 'volume' | 'image', name: string): Promise<T> {
  const [first] = JSON.parse(await docker(kind, 'inspect', name)) as T[];
  return first;
}
