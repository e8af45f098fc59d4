/**
 * The dockerode Engine against the real engine: every call checked through the docker CLI, not
 * through the Engine itself, so a mapping bug cannot confirm its own result.
 */
import { jest } from '@jest/globals';
import { containerFilesArchive } from '../../src/apply/container-files.js';
import type { ContainerCreateRequest, Engine, EngineEvent, LogLine } from '../../src/apply/engine.js';
import { EngineError } from '../../src/errors.js';
import { docker, inspect } from '../support/docker-cli.js';
import { collectUntil, eventually, projectLabels, realEngine, removeProject, TEST_IMAGE } from './engine-support.js';

// Real engine work (builds, health probes, stop grace periods) outlasts jest's 5 s default.
jest.setTimeout(90_000);

const PROJECT = 'tsce-life';
const NETWORK = `${PROJECT}_default`;
const VOLUME = `${PROJECT}_data`;

let engine: Engine;

beforeAll(async () => {
  await removeProject(PROJECT);
  engine = realEngine();
  await engine.createNetwork({ name: NETWORK, labels: projectLabels(PROJECT, { 'com.docker.compose.network': 'default' }) });
  await engine.createVolume({ name: VOLUME, labels: projectLabels(PROJECT, { 'com.docker.compose.volume': 'data' }) });
});

afterAll(async () => {
  engine?.close();
  await removeProject(PROJECT);
});

/** A container on the project network: prints to stdout and stderr, then idles until stopped. */
function request(name: string, script: string, extra: Partial<ContainerCreateRequest['config']> = {}): ContainerCreateRequest {
  return {
    name,
    config: {
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', script],
      Labels: projectLabels(PROJECT, { 'com.docker.compose.service': name }),
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        NetworkMode: NETWORK,
        Mounts: [{ Type: 'volume', Source: VOLUME, Target: '/data' }],
      },
      NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: [name, 'web'] } } },
      ...extra,
    },
  };
}

const IDLE = 'trap "exit 0" TERM; while true; do sleep 0.2; done';

describe('DockerEngine container lifecycle', () => {
  test('created networks and volumes must carry their labels on the engine', async () => {
    expect((await inspect('network', NETWORK)).Labels).toEqual(projectLabels(PROJECT, { 'com.docker.compose.network': 'default' }));
    expect((await inspect('volume', VOLUME)).Labels).toEqual(projectLabels(PROJECT, { 'com.docker.compose.volume': 'data' }));
  });

  test('a container must be created with its config, and attach before start must see its first lines', async () => {
    const name = `${PROJECT}-attach-1`;
    const id = await engine.createContainer(request(name, `echo first; sleep 0.2; echo to-stderr >&2; ${IDLE}`));
    const attachment = await engine.attachContainer(id);
    await engine.startContainer(id);
    const lines = await collectUntil(attachment.output, (seen) => seen.length >= 2);
    attachment.detach();
    expect(lines).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', text: 'first' },
        { stream: 'stderr', text: 'to-stderr' },
      ]),
    );
    const actual = await inspect('container', name);
    expect(actual.Id).toBe(id);
    expect(actual.State.Running).toBe(true);
    expect(actual.Config.Labels['com.docker.compose.project']).toBe(PROJECT);
    expect(actual.NetworkSettings.Networks[NETWORK].Aliases).toEqual(expect.arrayContaining([name, 'web']));
    expect(actual.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: VOLUME, Destination: '/data' })]);
  });

  test('inspect must report state, labels, mounts and networks', async () => {
    const details = await engine.inspectContainer(`${PROJECT}-attach-1`);
    expect(details.name).toBe(`${PROJECT}-attach-1`);
    expect(details.state).toMatchObject({ status: 'running', running: true, exitCode: 0 });
    expect(details.state.startedAt).not.toBe('0001-01-01T00:00:00Z');
    expect(details.labels['com.docker.compose.service']).toBe(`${PROJECT}-attach-1`);
    expect(details.mounts).toEqual([expect.objectContaining({ type: 'volume', name: VOLUME, destination: '/data', readOnly: false })]);
    expect(Object.keys(details.networks)).toEqual([NETWORK]);
    expect(details.imageId).toBe((await inspect('image', TEST_IMAGE)).Id);
  });

  test('logs must be split into stdout and stderr lines, with timestamps when asked', async () => {
    const lines: LogLine[] = [];
    for await (const line of engine.logs(`${PROJECT}-attach-1`, { timestamps: true })) lines.push(line);
    expect(lines.map(({ stream, text }) => ({ stream, text }))).toEqual([
      { stream: 'stdout', text: 'first' },
      { stream: 'stderr', text: 'to-stderr' },
    ]);
    expect(lines[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    const tail: LogLine[] = [];
    for await (const line of engine.logs(`${PROJECT}-attach-1`, { tail: 1 })) tail.push(line);
    expect(tail).toEqual([{ stream: 'stderr', text: 'to-stderr' }]);
  });

  test('following logs must deliver new lines and end when the signal aborts', async () => {
    const name = `${PROJECT}-follow-1`;
    const id = await engine.createContainer(request(name, 'for i in 1 2 3; do echo line-$i; sleep 0.3; done; ' + IDLE));
    await engine.startContainer(id);
    const controller = new AbortController();
    const lines = await collectUntil(engine.logs(id, { follow: true, signal: controller.signal }), (seen) => seen.length >= 3);
    expect(lines.map((line) => line.text)).toEqual(['line-1', 'line-2', 'line-3']);
    // A follow with nothing more to say (the container idles) must still end when aborted: well
    // before the 30 s deadline of other calls, the only other thing that could end it.
    const started = Date.now();
    const pending = collectUntil(engine.logs(id, { follow: true, tail: 0, signal: controller.signal }), () => false);
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('exec must capture stdout, stderr and the exit code', async () => {
    const result = await engine.exec(`${PROJECT}-attach-1`, { command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const env = await engine.exec(`${PROJECT}-attach-1`, { command: ['sh', '-c', 'echo $GREETING; pwd; id -u'], env: ['GREETING=hi'], workingDir: '/data', user: '1000' });
    expect(env).toEqual({ exitCode: 0, stdout: 'hi\n/data\n1000\n', stderr: '' });
  });

  test('putArchive must write files with their mode and owner, creating missing directories', async () => {
    const archive = await containerFilesArchive([{ path: '/run/secrets/token', content: 's3cret\n', mode: 0o400, uid: 1000, gid: 1001 }]);
    await engine.putArchive(`${PROJECT}-attach-1`, '/', archive);
    const stat = await docker('exec', `${PROJECT}-attach-1`, 'stat', '-c', '%a %u %g', '/run/secrets/token');
    expect(stat).toBe('400 1000 1001');
    expect(await docker('exec', `${PROJECT}-attach-1`, 'cat', '/run/secrets/token')).toBe('s3cret');
  });

  test('getArchive must return a tar holding the file', async () => {
    const tar = await engine.getArchive(`${PROJECT}-attach-1`, '/run/secrets/token');
    expect(tar.subarray(0, 5).toString()).toBe('token');
    expect(tar.includes(Buffer.from('s3cret\n'))).toBe(true);
  });

  test('stop must respect its timeout, and stopping again must not fail', async () => {
    const name = `${PROJECT}-stubborn-1`;
    // Ignores SIGTERM, and its own grace period is 60 s: only the kill after the 1 s timeout
    // ends it this soon, even on a busy machine.
    const id = await engine.createContainer(request(name, 'trap "" TERM; while true; do sleep 0.2; done', { StopTimeout: 60 }));
    await engine.startContainer(id);
    const started = Date.now();
    await engine.stopContainer(id, { timeoutSeconds: 1 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(30_000);
    const state = (await inspect('container', name)).State;
    expect(state.Running).toBe(false);
    expect(state.ExitCode).toBe(137);
    await engine.stopContainer(id, { timeoutSeconds: 1 });
    await engine.startContainer(id);
    await engine.startContainer(id);
    expect((await inspect('container', name)).State.Running).toBe(true);
  });

  test('kill and restart must reach the container', async () => {
    const name = `${PROJECT}-stubborn-1`;
    await engine.restartContainer(name, { timeoutSeconds: 0 });
    expect((await inspect('container', name)).State.Running).toBe(true);
    await engine.killContainer(name, { killSignal: 'SIGKILL' });
    expect((await inspect('container', name)).State.Running).toBe(false);
  });

  test('wait must resolve with the exit code', async () => {
    const id = await engine.createContainer(request(`${PROJECT}-exit-1`, 'sleep 0.3; exit 7'));
    const exited = engine.waitContainer(id, { condition: 'next-exit' });
    await engine.startContainer(id);
    expect(await exited).toBe(7);
  });

  test('rename must change the name on the engine', async () => {
    await engine.renameContainer(`${PROJECT}-exit-1`, `${PROJECT}-renamed-1`);
    expect((await inspect('container', `${PROJECT}-renamed-1`)).Name).toBe(`/${PROJECT}-renamed-1`);
  });

  test('connect and disconnect must attach a second network with aliases', async () => {
    const second = `${PROJECT}_back`;
    await engine.createNetwork({ name: second, labels: projectLabels(PROJECT, { 'com.docker.compose.network': 'back' }) });
    await engine.connectNetwork(second, `${PROJECT}-attach-1`, { Aliases: ['backend-alias'] });
    const networks = (await inspect('container', `${PROJECT}-attach-1`)).NetworkSettings.Networks;
    expect(networks[second].Aliases).toContain('backend-alias');
    await engine.disconnectNetwork(second, `${PROJECT}-attach-1`);
    expect(Object.keys((await inspect('container', `${PROJECT}-attach-1`)).NetworkSettings.Networks)).toEqual([NETWORK]);
    await engine.removeNetwork(second);
    expect(await engine.inspectNetwork(second)).toBeUndefined();
  });

  test('the health probe output must be reported by inspect', async () => {
    const id = await engine.createContainer(
      request(`${PROJECT}-health-1`, IDLE, {
        Healthcheck: { Test: ['CMD-SHELL', 'echo probe-said-hello; exit 1'], Interval: 300_000_000, Retries: 1 },
      }),
    );
    await engine.startContainer(id);
    const health = await eventually(async () => {
      const details = await engine.inspectContainer(id);
      return details.state.health?.status === 'unhealthy' ? details.state.health : undefined;
    });
    expect(health.failingStreak).toBeGreaterThanOrEqual(1);
    expect(health.log.at(-1)).toMatchObject({ exitCode: 1, output: 'probe-said-hello\n' });
  });

  test('events must report the project containers starting', async () => {
    const controller = new AbortController();
    const since = Math.floor(Date.now() / 1000) - 1;
    const id = await engine.createContainer(request(`${PROJECT}-events-1`, 'exit 0'));
    const seen = collectUntil(engine.events(PROJECT, { since, signal: controller.signal }), (events: readonly EngineEvent[]) =>
      events.some((event) => event.id === id && event.action === 'die'),
    );
    await engine.startContainer(id);
    const events = await seen;
    controller.abort();
    const ours = events.filter((event) => event.id === id).map((event) => event.action);
    expect(ours).toEqual(expect.arrayContaining(['create', 'start', 'die']));
    expect(events.every((event) => event.attributes['com.docker.compose.project'] === PROJECT)).toBe(true);
  });

  test('remove must delete the container and, with volumes, its anonymous volumes', async () => {
    const name = `${PROJECT}-anon-1`;
    const id = await engine.createContainer({
      name,
      config: { Image: TEST_IMAGE, Cmd: ['true'], Labels: projectLabels(PROJECT), HostConfig: { Mounts: [{ Type: 'volume', Target: '/anon' }] } },
    });
    const anonymous = (await inspect('container', name)).Mounts[0].Name as string;
    await engine.removeContainer(id, { force: true, volumes: true });
    expect(await docker('ps', '-aq', '--filter', `name=^${name}$`)).toBe('');
    await expect(docker('volume', 'inspect', anonymous)).rejects.toThrow(/no such volume/i);
    // The named project volume is untouched.
    expect((await inspect('volume', VOLUME)).Name).toBe(VOLUME);
  });
});

describe('DockerEngine errors', () => {
  test('a missing container must be a not-found EngineError with the engine message', async () => {
    const error = await engine.inspectContainer(`${PROJECT}-does-not-exist`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'not-found', statusCode: 404, operation: 'inspect container', resource: `${PROJECT}-does-not-exist` });
    expect((error as Error).message).toBe(`could not inspect container ${PROJECT}-does-not-exist: No such container: ${PROJECT}-does-not-exist`);
  });

  test('a name already in use must be a conflict EngineError', async () => {
    const error = await engine.createContainer(request(`${PROJECT}-attach-1`, 'true')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'conflict', statusCode: 409 });
    expect((error as Error).message).toMatch(/^could not create container tsce-life-attach-1: Conflict\. The container name/);
  });

  test('absent images, networks and volumes must be undefined, not errors', async () => {
    expect(await engine.inspectImage('tscompose-test/absent:latest')).toBeUndefined();
    expect(await engine.inspectNetwork(`${PROJECT}_absent`)).toBeUndefined();
    expect(await engine.inspectVolume(`${PROJECT}_absent`)).toBeUndefined();
    expect((await engine.inspectImage(TEST_IMAGE))?.repoTags).toContain(TEST_IMAGE);
  });

  test('a network must not be found through a prefix of its id', async () => {
    const id = (await inspect('network', NETWORK)).Id as string;
    expect(await engine.inspectNetwork(id.slice(0, 12))).toBeUndefined();
    expect((await engine.inspectNetwork(id))?.name).toBe(NETWORK);
  });

  test('a failed pull must be an EngineError carrying the engine message', async () => {
    // Nothing listens on this loopback port: the engine fails at once, without touching the network.
    const error = await engine.pullImage('127.0.0.1:9/tsce-nothing:latest').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(/^could not pull image 127\.0\.0\.1:9\/tsce-nothing:latest: .*connection refused/);
  });
});

describe('DockerEngine label-filtered listing', () => {
  const A = 'tsce-x';
  const B = 'tsce-x1';

  beforeAll(async () => {
    await Promise.all([removeProject(A), removeProject(B)]);
    for (const project of [A, B]) {
      await engine.createNetwork({ name: `${project}_default`, labels: projectLabels(project) });
      await engine.createVolume({ name: `${project}_data`, labels: projectLabels(project) });
      await engine.createContainer({
        name: `${project}-web-1`,
        config: {
          Image: TEST_IMAGE,
          Cmd: ['true'],
          Labels: projectLabels(project, { 'com.docker.compose.config-hash': 'abc' }),
          HostConfig: { NetworkMode: `${project}_default`, Mounts: [{ Type: 'volume', Target: '/anon' }] },
        },
      });
    }
    // Made by hand with the project label but no config hash: not the project's (P6).
    await engine.createContainer({ name: `${A}-byhand`, config: { Image: TEST_IMAGE, Cmd: ['true'], Labels: projectLabels(A), HostConfig: {} } });
  });

  afterAll(async () => {
    await Promise.all([removeProject(A), removeProject(B)]);
  });

  test('containers of tsce-x must not include those of tsce-x1, nor one without a config hash', async () => {
    const containers = await engine.listContainers(A);
    expect(containers.map((container) => container.name)).toEqual([`${A}-web-1`]);
    expect(containers[0]).toMatchObject({
      status: 'created',
      image: TEST_IMAGE,
      networks: [`${A}_default`],
      networkMode: `${A}_default`,
      labels: projectLabels(A, { 'com.docker.compose.config-hash': 'abc' }),
      mounts: [expect.objectContaining({ type: 'volume', destination: '/anon', readOnly: false })],
    });
    expect(containers[0].mounts[0].name).toMatch(/^[0-9a-f]{64}$/);
  });

  test('networks and volumes of tsce-x must not include those of tsce-x1', async () => {
    expect((await engine.listNetworks(A)).map((network) => network.name)).toEqual([`${A}_default`]);
    expect((await engine.listVolumes(A)).map((volume) => volume.name)).toEqual([`${A}_data`]);
    expect((await engine.listVolumes(B)).map((volume) => volume.name)).toEqual([`${B}_data`]);
  });
});
