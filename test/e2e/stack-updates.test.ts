/**
 * `tscompose stack deploy` when things go wrong, and secrets: a failed update is rolled back as
 * `failure_action: rollback` says and the deploy fails with the task's error and output; a new
 * service in a crash loop fails the deploy quickly; a secret's and a config's new content is a new
 * object the service rolls to, and the old one goes once nothing can roll back to it.
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { BUSYBOX, TestStack } from './stack-support.js';

jest.setTimeout(180_000);

const rollback = new TestStack('swarm-rollback');
const crash = new TestStack('swarm-crash');
const secrets = new TestStack('swarm-secrets');
afterAll(() => Promise.all([rollback, crash, secrets].map((stack) => stack.cleanup())));

const app = (version: string, failureAction: string) => `
services:
  app:
    image: ${BUSYBOX}
    # The broken version prints a line and exits, so its task fails.
    command: ["sh", "-c", "echo starting $$VERSION; if [ \\"$$VERSION\\" = broken ]; then echo cannot start >&2; exit 3; fi; trap 'exit 0' TERM; while sleep 1; do :; done"]
    environment: [VERSION=${version}]
    stop_grace_period: 2s
    deploy:
      replicas: 2
      restart_policy: {condition: on-failure, delay: 1s}
      update_config: {parallelism: 1, order: start-first, failure_action: ${failureAction}, monitor: 3s}
`;

describe('a failed update', () => {
  test('must be rolled back when failure_action says so, and fail the deploy with the task error and its last output', async () => {
    await rollback.cleanup();
    await rollback.write({ 'compose.yaml': app('one', 'rollback') });
    await rollback.deployed();
    await rollback.write({ 'compose.yaml': app('broken', 'rollback') });
    const result = await rollback.deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`service ${rollback.name}_app did not converge: the update failed and was rolled back (failure_action: rollback)`);
    expect(result.stderr).toMatch(/task swarm-rollback_app\.\d \([0-9a-z]+\): failed: task: non-zero exit \(3\)/);
    expect(result.stderr).toContain('cannot start');
    // The engine returned to the previous spec.
    const service = await rollback.service('app');
    expect(service.Spec.TaskTemplate.ContainerSpec.Env).toEqual(['VERSION=one']);
    expect(service.UpdateStatus.State).toBe('rollback_completed');
  });

  test('must be left as it is, paused, when failure_action is pause, and the deploy must say how to go on', async () => {
    await rollback.write({ 'compose.yaml': app('one', 'pause') });
    await rollback.deployed();
    await rollback.write({ 'compose.yaml': app('broken', 'pause') });
    const result = await rollback.deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('update paused');
    expect(result.stderr).toContain(`docker service rollback ${rollback.name}_app`);
    expect((await rollback.service('app')).UpdateStatus.State).toBe('paused');
  });
});

describe('a new service that cannot run', () => {
  test('must fail the deploy once its tasks keep failing, with the error and output, instead of waiting forever', async () => {
    await crash.cleanup();
    await crash.write({
      'compose.yaml': `services:\n  boom:\n    image: ${BUSYBOX}\n    command: ["sh", "-c", "echo boom-output; exit 7"]\n    deploy: {restart_policy: {condition: any, delay: 1s}}\n`,
    });
    const result = await crash.deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`service ${crash.name}_boom did not converge: 3 tasks failed at the new spec and none is running`);
    expect(result.stderr).toContain('non-zero exit (7)');
    expect(result.stderr).toContain('boom-output');
  });
});

describe('secrets and configs', () => {
  const file = `
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while sleep 1; do :; done"]
    stop_grace_period: 2s
    secrets: [{source: token, mode: 0400}]
    configs: [{source: settings, target: /etc/settings.conf}]
    deploy: {update_config: {order: stop-first, monitor: 1s}}
secrets:
  token: {environment: TOKEN}
configs:
  settings: {file: ./settings.conf}
`;

  async function mounted(): Promise<string> {
    const [container] = await secrets.containers('app');
    return docker('exec', container, 'sh', '-c', 'cat /run/secrets/token; echo; stat -c %a /run/secrets/token; cat /etc/settings.conf');
  }

  const names = async (kind: 'secret' | 'config'): Promise<string[]> =>
    (await docker(kind, 'ls', '--filter', `label=com.docker.stack.namespace=${secrets.name}`, '--format', '{{.Name}}')).split('\n').filter(Boolean).sort();

  test('new content must be a new object under a content-addressed name, and the service must roll to it', async () => {
    await secrets.cleanup();
    await secrets.write({ 'compose.yaml': file, 'settings.conf': 'level=1\n' });
    await secrets.deployed([], { env: { TOKEN: 'first-token' } });
    expect(await mounted()).toBe('first-token\n400\nlevel=1');
    const [firstSecret] = await names('secret');
    expect(firstSecret).toMatch(/^swarm-secrets_token-[0-9a-f]{10}$/);

    await secrets.write({ 'settings.conf': 'level=2\n' });
    const result = await secrets.deployed([], { env: { TOKEN: 'second-token' } });
    expect(result.stderr).not.toContain('second-token');
    expect(await mounted()).toBe('second-token\n400\nlevel=2');
    // The old ones stay while the service can roll back to them.
    expect(await names('secret')).toHaveLength(2);
    expect(await names('config')).toHaveLength(2);
    expect(JSON.stringify((await secrets.service('app')).PreviousSpec)).toContain(firstSecret);
  });

  test('the old versions must be removed once nothing uses or rolls back to them', async () => {
    const secretName = async (spec: 'Spec' | 'PreviousSpec'): Promise<string> => (await secrets.service('app'))[spec].TaskTemplate.ContainerSpec.Secrets[0].SecretName;
    const [first, second] = [await secretName('PreviousSpec'), await secretName('Spec')];
    await secrets.deployed([], { env: { TOKEN: 'third-token' } });
    expect(await mounted()).toBe('third-token\n400\nlevel=2');
    // The first is gone; the second is now the rollback target; the third is in use.
    expect(await names('secret')).toEqual([second, await secretName('Spec')].sort());
    expect(await names('secret')).not.toContain(first);
    // The config did not change in this deploy: its old version is nobody's rollback target any more.
    expect(await names('config')).toHaveLength(1);
  });
});
