/**
 * `tscompose stack deploy|ls|ps|services|rm` against the test engine in swarm mode: the file is
 * read as `up` reads it, the stack is what `docker stack` would see, an unchanged file changes
 * nothing, a changed one rolls and converges before the command returns, and `--prune`/`rm`
 * remove only the stack's own objects. One stack per test group, named `swarm-...`.
 */
import { jest } from '@jest/globals';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { docker } from '../support/docker-cli.js';
import { BUSYBOX, TestStack, eventually, removeStack } from './stack-support.js';

jest.setTimeout(180_000);

const main = new TestStack('swarm-deploy');
const other = new TestStack('swarm-foreign');
afterAll(async () => {
  await Promise.all([main.cleanup(), other.cleanup()]);
});

/** A port nothing listens on now (the engine publishes the service's host-mode port on it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body.trim()));
    }).on('error', reject);
  });
}

let port = 0;
const composeFile = (workerReplicas: number) => `
include:
  - workers.yaml
services:
  web:
    extends: {file: base.yaml, service: base}
    image: tscompose-test/busybox:\${TAG}
    build: .
    command: ["sh", "-c", "mkdir -p /www && echo \\"$$GREETING\\" > /www/index.html && exec httpd -f -p 8080 -h /www"]
    environment: ["GREETING=\${GREETING}"]
    ports: [{target: 8080, published: ${port}, mode: host}]
    deploy:
      update_config: {order: stop-first, monitor: 1s}
    stop_grace_period: 2s
  debug:
    profiles: [debug]
    image: ${BUSYBOX}
    command: sleep 1000
x-workers: ${workerReplicas}
`;
const workersFile = (replicas: number, mode: string) => `
services:
  worker:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while sleep 1; do :; done"]
    environment: [MODE=${mode}]
    deploy:
      replicas: ${replicas}
      endpoint_mode: dnsrr
      update_config: {order: start-first, monitor: 1s}
`;

describe('stack deploy', () => {
  beforeAll(async () => {
    await removeStack(main.name);
    port = await freePort();
    await main.write({
      '.env': 'GREETING=hello-from-dotenv\nTAG=latest\n',
      'base.yaml': 'services:\n  base:\n    labels: [origin=extends]\n',
      'compose.yaml': composeFile(1),
      'workers.yaml': workersFile(1, 'one'),
    });
  });

  test('deploy must read the file as up does (.env, include, extends, profiles) and warn at the position of what swarm ignores', async () => {
    const result = await main.deployed();
    expect(result.stderr).toMatch(/compose\.yaml:8:5: services\.web\.build: not supported by swarm/);
    const web = await main.service('web');
    expect(web.Spec.TaskTemplate.ContainerSpec.Env).toEqual(['GREETING=hello-from-dotenv']);
    expect(web.Spec.TaskTemplate.ContainerSpec.Labels).toMatchObject({ origin: 'extends', 'com.docker.stack.namespace': main.name });
    expect(web.Spec.Labels).toMatchObject({ 'com.docker.stack.namespace': main.name, 'com.docker.stack.image': 'tscompose-test/busybox:latest' });
    // The profile's service is not deployed; the included one is.
    expect((await docker('stack', 'services', main.name, '--format', '{{.Name}}')).split('\n').sort()).toEqual([`${main.name}_web`, `${main.name}_worker`]);
  });

  test('docker stack must see the stack: ls, services and ps', async () => {
    expect(await docker('stack', 'ls', '--format', '{{.Name}} {{.Services}}')).toContain(`${main.name} 2`);
    const tasks = await docker('stack', 'ps', main.name, '--format', '{{.Name}} {{.DesiredState}}');
    expect(tasks.split('\n').sort()).toEqual([`${main.name}_web.1 Running`, `${main.name}_worker.1 Running`]);
  });

  test('the deploy must have waited until the service answers on its host-mode port', async () => {
    // No retry: the command returned only once the task was running.
    expect(await httpGet(port)).toBe('hello-from-dotenv');
  });

  test('tscompose stack ls, services and ps must list the stack as docker stack does', async () => {
    const ls = await main.run(['ls', '--format', 'json']);
    expect(ls.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line))).toContainEqual({ Name: main.name, Services: '2' });
    const services = await main.run(['services', main.name]);
    expect(services.stdout).toMatch(new RegExp(`${main.name}_web\\s+replicated\\s+1/1\\s+tscompose-test/busybox:latest\\s+\\*:${port}->8080/tcp`));
    const ps = await main.run(['ps', main.name, '--format', '{{.Name}} {{.DesiredState}}']);
    expect(ps.stdout.trim().split('\n').sort()).toEqual([`${main.name}_web.1 Running`, `${main.name}_worker.1 Running`]);
  });

  test('an unchanged file must deploy as a no-op: no service spec is updated', async () => {
    const before = [(await main.service('web')).Version.Index, (await main.service('worker')).Version.Index];
    const result = await main.deployed();
    expect(result.stderr).toContain(`Service ${main.name}_web  Unchanged`);
    expect([(await main.service('web')).Version.Index, (await main.service('worker')).Version.Index]).toEqual(before);
  });

  test('--dry-run must say what would change, per service and field, and change nothing', async () => {
    await main.write({ '.env': 'GREETING=hello-again\nTAG=latest\n' });
    const before = (await main.service('web')).Version.Index;
    const result = await main.deployed(['--dry-run']);
    // In the words of up --dry-run; the unchanged worker needs no line.
    expect(result.stdout).toBe(`update service web (${main.name}_web): environment GREETING changed\n`);
    expect(result.stdout).not.toContain('hello-again');
    expect((await main.service('web')).Version.Index).toBe(before);
  });

  test('a changed environment value must roll the service and converge before the deploy returns', async () => {
    const result = await main.deployed();
    expect(result.stderr).toContain(`Service ${main.name}_web  Converged`);
    expect((await main.service('web')).Spec.TaskTemplate.ContainerSpec.Env).toEqual(['GREETING=hello-again']);
    expect(await httpGet(port)).toBe('hello-again');
  });

  test('a start-first update must start the new task before it stops the old one', async () => {
    const [oldContainer] = await main.containers('worker');
    await main.write({ 'workers.yaml': workersFile(1, 'two') });
    await main.deployed();
    const worker = await main.service('worker');
    expect(worker.Spec.UpdateConfig.Order).toBe('start-first');
    expect(worker.UpdateStatus.State).toBe('completed');
    // The old container stopped after the new one had started.
    const [newContainer] = await main.containers('worker');
    const started = Date.parse(await docker('inspect', '--format', '{{.State.StartedAt}}', newContainer));
    const stopped = Date.parse(await docker('inspect', '--format', '{{.State.FinishedAt}}', oldContainer));
    expect(started).toBeLessThan(stopped);
  });

  test('scaling in the file must leave every replica running when the deploy returns', async () => {
    await main.write({ 'workers.yaml': workersFile(3, 'two') });
    await main.deployed();
    expect(await docker('service', 'ls', '--filter', `name=${main.name}_worker`, '--format', '{{.Replicas}}')).toBe('3/3');
    expect(await main.containers('worker')).toHaveLength(3);
  });

  test('a service the file no longer has must be kept, and removed with --prune', async () => {
    await main.write({ 'compose.yaml': composeFile(3).replace('include:\n  - workers.yaml\n', '') });
    const kept = await main.deployed();
    expect(kept.stderr).toContain(`Service ${main.name}_worker  Kept`);
    expect(await docker('service', 'ls', '-q', '--filter', `name=${main.name}_worker`)).not.toBe('');
    await main.deployed(['--prune']);
    expect(await docker('service', 'ls', '-q', '--filter', `name=${main.name}_worker`)).toBe('');
  });

  test('rm must remove the stack\'s services and network, after their tasks are gone', async () => {
    const result = await main.run(['rm', main.name]);
    expect(result.code).toBe(0);
    expect(await docker('service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${main.name}`)).toBe('');
    expect(await docker('network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${main.name}`)).toBe('');
    // No task runs any more (rm waited for that); the engine deletes the stopped tasks' records
    // on its own, shortly after: docker stack ps then finds nothing.
    const tasks = await docker('stack', 'ps', main.name, '--format', '{{.DesiredState}} {{.CurrentState}}').catch(() => '');
    expect(tasks.split('\n').filter((line) => /^\S+ (Running|Starting|Preparing|Assigned|Accepted)/.test(line))).toEqual([]);
    await eventually(() => docker('stack', 'ps', main.name).then(() => undefined, (error: Error) => (/nothing found in stack/.test(error.message) ? true : undefined)));
  });
});

describe('stacks of docker stack', () => {
  test('a stack docker stack deployed must be listed and removed by tscompose stack', async () => {
    await removeStack(other.name);
    await other.write({ 'docker-stack.yaml': `version: "3.8"\nservices:\n  app:\n    image: ${BUSYBOX}\n    command: sleep 1000\n    stop_grace_period: 1s\n` });
    await docker('stack', 'deploy', '--resolve-image', 'never', '-c', `${other.dir}/docker-stack.yaml`, other.name);
    const services = await other.run(['services', other.name, '--format', '{{.Name}}']);
    expect(services.stdout.trim()).toBe(`${other.name}_app`);
    expect((await other.run(['rm', other.name])).code).toBe(0);
    await eventually(async () => ((await docker('stack', 'ls', '--format', '{{.Name}}')).split('\n').includes(other.name) ? undefined : true));
  });
});
