/**
 * Switching tools is free: on an unchanged file, `tscompose up` after `docker compose up` keeps
 * every container (same id, not restarted), and Docker Compose 2.26 does the same after
 * `tscompose up`. Both tools write Compose's config hash (src/model/compose-hash.ts); the fixture
 * uses the attributes whose hashing is most likely to differ (build, ports, volumes, env_file, a
 * secret, depends_on, profiles, deploy, a healthcheck, networks, network_mode service:,
 * volumes_from). The reference is installed by scripts/ensure-reference.sh (npm test's setup).
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { docker } from '../support/docker-cli.js';
import { baseEnv, type CliResult } from '../support/run-cli.js';
import { removeProject } from './engine-support.js';
import { fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(180_000);

const exec = promisify(execFile);
const dir = fixture('compat-switching');
const SERVICES = ['backup', 'db', 'probe', 'web'];

/** `docker-compose -p <project> --profile debug <args>` in the fixture directory. */
async function reference(project: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec('docker-compose', ['-p', project, '--profile', 'debug', ...args], { cwd: dir, env: baseEnv() });
    return { code: 0, signal: null, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`docker-compose ${args.join(' ')} failed (${failure.code}):\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
  }
}

/** Per container: what must not change when the other tool runs `up` (id, start time, hash). */
async function snapshot(project: string): Promise<Record<string, string>> {
  const ids = (await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).split('\n').filter(Boolean);
  const details = JSON.parse(await docker('inspect', ...ids)) as Record<string, any>[];
  return Object.fromEntries(
    details.map((entry) => [
      entry.Config.Labels['com.docker.compose.service'] as string,
      `${entry.Id} started ${entry.State.StartedAt} ${entry.State.Status} hash ${entry.Config.Labels['com.docker.compose.config-hash']}`,
    ]),
  );
}

async function cleanup(project: string): Promise<void> {
  await removeProject(project);
  // The image of the built service, by name too: not every builder labels it with the project.
  await docker('rmi', '-f', `${project}-web`).catch(() => undefined);
}

const composeFirst = new TestProject('compat-switch-a', dir);
const tscomposeFirst = new TestProject('compat-switch-b', dir);

beforeAll(async () => {
  const { stdout } = await exec('docker-compose', ['version', '--short']).catch(() => ({ stdout: '' }));
  if (!stdout.startsWith('2.26.')) {
    throw new Error(`Docker Compose 2.26 (the reference) is needed as docker-compose, found "${stdout.trim()}": run \`bash scripts/ensure-reference.sh\` (npm test does this).`);
  }
  await Promise.all([cleanup(composeFirst.name), cleanup(tscomposeFirst.name)]);
});

afterAll(async () => {
  await Promise.all([cleanup(composeFirst.name), cleanup(tscomposeFirst.name)]);
  await Promise.all([composeFirst.cleanup(), tscomposeFirst.cleanup()]);
});

test('tscompose up after docker compose up must recreate and restart nothing', async () => {
  await reference(composeFirst.name, 'up', '-d');
  const before = await snapshot(composeFirst.name);
  expect(Object.keys(before).sort()).toEqual(SERVICES);

  const result = await composeFirst.ok(['--profile', 'debug', 'up', '-d']);
  expect(result.stderr).not.toContain('Recreate');
  expect(await snapshot(composeFirst.name)).toEqual(before);
});

test('docker compose up after tscompose up must recreate and restart nothing', async () => {
  await tscomposeFirst.ok(['--profile', 'debug', 'up', '-d']);
  const before = await snapshot(tscomposeFirst.name);
  expect(Object.keys(before).sort()).toEqual(SERVICES);

  const result = await reference(tscomposeFirst.name, 'up', '-d');
  expect(result.stderr).not.toContain('Recreate');
  expect(await snapshot(tscomposeFirst.name)).toEqual(before);
});
