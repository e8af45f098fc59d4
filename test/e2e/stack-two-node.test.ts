/**
 * `tscompose stack deploy` on a swarm of two nodes: two more engines, each in a network namespace
 * of its own (scripts/swarm-nodes.sh), a manager and a worker, so the test engine's own swarm, which
 * the other stack tests use at the same time, is left alone. Images reach the worker through the
 * test registry (scripts/ensure-registry.sh).
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker } from '../support/docker-cli.js';
import { repoRoot } from '../support/run-cli.js';
import { TestStack } from './stack-support.js';

jest.setTimeout(180_000);
const exec = promisify(execFile);

const REGISTRY = process.env.TSCOMPOSE_REGISTRY ?? '127.0.0.1:5055';
const IMAGE = `${REGISTRY}/tscompose-test/busybox:swarm-two-node`;
// The registry that wants a login (scripts/ensure-registry.sh), reached by the worker through its relay.
const AUTH_REGISTRY = process.env.TSCOMPOSE_AUTH_REGISTRY ?? '127.0.0.1:5056';
const PRIVATE_IMAGE = `${AUTH_REGISTRY}/tscompose-test/busybox:swarm-two-node`;
const dockerConfig = mkdtempSync(join(tmpdir(), 'swarm-nodes-config-'));
const stack = new TestStack('swarm-nodes');
let managerHost = '';

/** `docker` against the two-node swarm's manager. */
function managerDocker(...args: string[]): Promise<string> {
  return exec('docker', args, { env: { ...process.env, DOCKER_HOST: managerHost } }).then(({ stdout }) => stdout.trim());
}

/** The node IDs of a service's running tasks. */
async function taskNodes(service: string): Promise<string[]> {
  const ids = (await managerDocker('service', 'ps', '-q', '--filter', 'desired-state=running', `${stack.name}_${service}`)).split('\n').filter(Boolean);
  const tasks = JSON.parse(await managerDocker('inspect', ...ids)) as { NodeID: string; Status: { State: string } }[];
  return tasks.map((task) => task.NodeID);
}

const SLEEPER = `["sh", "-c", "trap 'exit 0' TERM; while sleep 1; do :; done"]`;

beforeAll(async () => {
  await exec('bash', [`${repoRoot}/scripts/ensure-registry.sh`]);
  const { stdout } = await exec('bash', [`${repoRoot}/scripts/swarm-nodes.sh`, 'up'], { maxBuffer: 16 * 1024 * 1024 });
  managerHost = /^DOCKER_HOST=(\S+)$/m.exec(stdout)?.[1] ?? '';
  if (managerHost === '') throw new Error(`scripts/swarm-nodes.sh up printed no DOCKER_HOST:\n${stdout}`);
  await docker('tag', 'tscompose-test/busybox:latest', IMAGE);
  await docker('push', '-q', IMAGE);
  // A login of the user's own (DOCKER_CONFIG), as `docker login` leaves it.
  const login = { ...process.env, DOCKER_CONFIG: dockerConfig };
  await exec('sh', ['-c', `printf %s "$PASSWORD" | docker login --username "$USER_NAME" --password-stdin ${AUTH_REGISTRY}`], {
    env: { ...login, PASSWORD: process.env.TSCOMPOSE_AUTH_REGISTRY_PASSWORD ?? 'tscompose-test-password', USER_NAME: process.env.TSCOMPOSE_AUTH_REGISTRY_USER ?? 'tscompose' },
  });
  await docker('tag', 'tscompose-test/busybox:latest', PRIVATE_IMAGE);
  await exec('docker', ['push', '-q', PRIVATE_IMAGE], { env: login });
}, 180_000);

afterAll(async () => {
  await stack.cleanup();
  await exec('bash', [`${repoRoot}/scripts/swarm-nodes.sh`, 'down']).catch(() => undefined);
  await docker('image', 'rm', IMAGE, PRIVATE_IMAGE).catch(() => undefined);
  rmSync(dockerConfig, { recursive: true, force: true });
});

describe('a swarm of two nodes', () => {
  test('an image that exists only on the manager must be refused, with the fix', async () => {
    await stack.write({ 'compose.yaml': `services:\n  local:\n    image: tscompose-test/busybox\n    build: .\n` });
    const result = await stack.deploy([], { env: { DOCKER_HOST: managerHost } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('image tscompose-test/busybox:latest exists only on this node');
    expect(result.stderr).toContain('tscompose build --push');
    expect(await managerDocker('service', 'ls', '-q')).toBe('');
  });

  test('a placement constraint must put every task on the nodes it names, pulled from the registry', async () => {
    await stack.write({
      'compose.yaml': `
services:
  pinned:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy:
      replicas: 2
      placement: {constraints: [node.role == worker]}
      update_config: {monitor: 1s}
  spread:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy:
      replicas: 2
      placement: {max_replicas_per_node: 1}
      update_config: {monitor: 1s}
`,
    });
    await stack.deployed([], { env: { DOCKER_HOST: managerHost } });
    const worker = await managerDocker('node', 'ls', '--filter', 'role=worker', '-q');
    expect(await taskNodes('pinned')).toEqual([worker, worker]);
    // Pinned to the registry's digest, so both nodes run the same image.
    expect((await managerDocker('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${stack.name}_pinned`))).toMatch(
      new RegExp(`^${IMAGE.replace(/[.]/g, '\\.')}@sha256:[0-9a-f]{64}$`),
    );
  });

  test('replicas must spread over both nodes', async () => {
    const nodes = await taskNodes('spread');
    expect(nodes).toHaveLength(2);
    expect(new Set(nodes).size).toBe(2);
  });

  test('--with-registry-auth must let the worker pull an image from a registry that wants a login', async () => {
    await stack.write({
      'compose.yaml': `
services:
  private:
    image: ${PRIVATE_IMAGE}
    command: ${SLEEPER}
    deploy:
      placement: {constraints: [node.role == worker]}
      update_config: {monitor: 1s}
`,
    });
    await stack.deployed(['--with-registry-auth'], { env: { DOCKER_HOST: managerHost, DOCKER_CONFIG: dockerConfig } });
    const worker = await managerDocker('node', 'ls', '--filter', 'role=worker', '-q');
    expect(await taskNodes('private')).toEqual([worker]);
    // Pinned through the same credentials.
    expect(await managerDocker('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${stack.name}_private`)).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  test('rm must remove the stack from the two-node swarm', async () => {
    expect((await stack.run(['rm', stack.name], { env: { DOCKER_HOST: managerHost } })).code).toBe(0);
    expect(await managerDocker('service', 'ls', '-q')).toBe('');
  });
});
