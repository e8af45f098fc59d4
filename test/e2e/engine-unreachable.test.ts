/**
 * F1 and F2 of the reliability bar: no engine at the endpoint must fail fast and name the
 * endpoint and where it came from; an engine that accepts connections but never answers must time
 * out instead of hanging the command; a server that answers HTTP but is not a Docker engine must
 * be named as such, with what it answered.
 */
import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDockerEngine } from '../../src/apply/docker-engine.js';
import { contextStorageKey, resolveEndpoint } from '../../src/apply/endpoint.js';
import { CancelledError, EngineError } from '../../src/errors.js';
import { runCli } from '../support/run-cli.js';

// Some tests run the CLI, and a call that wrongly waits for LONG_DEADLINE_MS must fail on its
// assertion, not on the test's timeout.
jest.setTimeout(90_000);

/**
 * The deadline these tests give where a call must NOT wait for it: failing well before it
 * (half of it) shows a call did not wait, and leaves a busy machine all the room it needs.
 */
const LONG_DEADLINE_MS = 60_000;
const WELL_BEFORE_IT_MS = LONG_DEADLINE_MS / 2;

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tsce-unreachable-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Fails the test when `call` resolves; returns what it threw and how long that took. */
async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await call();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('the call succeeded');
}

/** A directory of its own holding `compose.yaml` with `content`. */
function projectWith(name: string, content: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), content);
  return dir;
}

const INVALID_FILE = 'services:\n  web:\n    image: tscompose-test/busybox:latest\n    restart: sometimes\n';

/** A loopback TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('an endpoint where no engine listens', () => {
  test('a missing unix socket must fail in under a second, naming the socket and DOCKER_HOST', async () => {
    const socket = join(scratch, 'no-engine.sock');
    // Fails at once, not at a (long) deadline, and not as a timeout: nothing is retried or waited for.
    const engine = createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: `unix://${socket}` }).endpoint, { pingTimeoutMs: LONG_DEADLINE_MS });
    const { error, ms } = await failure(() => engine.ping());
    engine.close();
    expect(ms).toBeLessThan(WELL_BEFORE_IT_MS);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toBe(
      `cannot connect to the Docker engine at unix://${socket} (from DOCKER_HOST): the socket does not exist. Is the engine running?`,
    );
  });

  test('a refused TCP port must fail in under a second, naming the endpoint', async () => {
    const port = await closedPort();
    const engine = createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: `tcp://127.0.0.1:${port}` }).endpoint, { timeoutMs: LONG_DEADLINE_MS });
    const { error, ms } = await failure(() => engine.listContainers('tsce-nothing'));
    engine.close();
    expect(ms).toBeLessThan(WELL_BEFORE_IT_MS);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toBe(
      `cannot connect to the Docker engine at tcp://127.0.0.1:${port} (from DOCKER_HOST): connection refused. Is the engine running?`,
    );
  });

  // ps asks the engine for the list while it validates the file: the file's errors come first all the same.
  test('ps of an invalid file must report the file, not the missing engine', async () => {
    const dir = projectWith('ps-invalid-no-engine', INVALID_FILE);
    const result = await runCli(['ps'], { cwd: dir, env: { DOCKER_HOST: `unix://${join(scratch, 'none.sock')}`, HOME: scratch } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('compose.yaml:4:');
    expect(result.stderr).toContain('restart');
    expect(result.stderr).not.toContain('cannot connect');
  });

  test('ps of a valid file must fail naming the endpoint', async () => {
    const dir = projectWith('ps-valid-no-engine', 'services:\n  web:\n    image: tscompose-test/busybox:latest\n');
    const socket = join(scratch, 'none.sock');
    const result = await runCli(['ps'], { cwd: dir, env: { DOCKER_HOST: `unix://${socket}`, HOME: scratch } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to the Docker engine at unix://${socket} (from DOCKER_HOST)`);
  });

  test('an endpoint chosen by a Docker context must name that context', async () => {
    const config = join(scratch, 'docker-config');
    const meta = join(config, 'contexts', 'meta', contextStorageKey('gone'));
    mkdirSync(meta, { recursive: true });
    const socket = join(scratch, 'gone.sock');
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'gone', Endpoints: { docker: { Host: `unix://${socket}` } } }));
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'gone' }));
    const engine = createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_CONFIG: config }).endpoint);
    const { error } = await failure(() => engine.ping());
    engine.close();
    expect((error as Error).message).toContain(
      `unix://${socket} (from Docker context "gone", the current context in ${join(config, 'config.json')})`,
    );
  });
});

describe('an endpoint that accepts connections and never answers', () => {
  let server: Server;
  let port: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => {
      // Read and discard the request; never write a byte back.
      sockets.add(socket);
      socket.on('data', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  function hangingEngine(options: { timeoutMs?: number } = {}) {
    return createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: `tcp://127.0.0.1:${port}` }).endpoint, options);
  }

  test('ping must time out after its default deadline (5 s) with a timeout error naming the endpoint', async () => {
    const engine = hangingEngine();
    const { error, ms } = await failure(() => engine.ping());
    engine.close();
    expect(ms).toBeGreaterThanOrEqual(4900);
    // Then it gives up (at the 5 s the message names): it does not hang.
    expect(ms).toBeLessThan(WELL_BEFORE_IT_MS);
    expect(error).toMatchObject({ kind: 'timeout', operation: 'reach the engine' });
    expect((error as Error).message).toBe(
      `could not reach the engine: the engine at tcp://127.0.0.1:${port} (from DOCKER_HOST) did not answer within 5s`,
    );
  });

  test('any call must honour its own deadline', async () => {
    const engine = hangingEngine({ timeoutMs: LONG_DEADLINE_MS });
    const { error, ms } = await failure(() => engine.inspectContainer('anything', { timeoutMs: 300 }));
    engine.close();
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(WELL_BEFORE_IT_MS);
    expect(error).toMatchObject({ kind: 'timeout', operation: 'inspect container', resource: 'anything' });
  });

  test('aborting the caller signal must cancel a waiting call at once', async () => {
    const engine = hangingEngine({ timeoutMs: LONG_DEADLINE_MS });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error, ms } = await failure(() => engine.listVolumes('tsce-nothing', { signal: controller.signal }));
    engine.close();
    // Cancelled, not timed out: the abort ended it, long before the call's deadline.
    expect(error).toBeInstanceOf(CancelledError);
    expect(ms).toBeLessThan(WELL_BEFORE_IT_MS);
  });

  test("ps of an invalid file must report the file at once, not wait for the engine's answer to its early request", async () => {
    const dir = projectWith('ps-invalid-hanging-engine', INVALID_FILE);
    const started = Date.now();
    const result = await runCli(['ps'], { cwd: dir, env: { DOCKER_HOST: `tcp://127.0.0.1:${port}`, HOME: scratch } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('compose.yaml:4:');
    // The list request was sent and is never answered: its deadline (minutes) is not waited for.
    expect(Date.now() - started).toBeLessThan(WELL_BEFORE_IT_MS);
  });

  test('a stream whose response never comes must time out too', async () => {
    const engine = createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: `tcp://127.0.0.1:${port}` }).endpoint, { timeoutMs: 300 });
    const { error, ms } = await failure(async () => {
      for await (const event of engine.events('tsce-nothing')) void event;
    });
    engine.close();
    expect(ms).toBeGreaterThanOrEqual(290);
    // A stream has no end of its own: without its deadline only the test's timeout would end it.
    expect(ms).toBeLessThan(WELL_BEFORE_IT_MS);
    expect(error).toMatchObject({ kind: 'timeout' });
  });
});

describe('an endpoint that answers HTTP but is not a Docker engine', () => {
  let server: HttpServer;
  let port: number;

  beforeAll(async () => {
    // An empty 404 for every path, except under .../html/: a web server's error page.
    server = createHttpServer((request, response) => {
      if (request.url?.includes('/html/')) {
        response.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body>Bad   Gateway</body></html>');
      } else {
        response.writeHead(404, { 'Content-Length': '0' }).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const endpoint = () => `tcp://127.0.0.1:${port} (from DOCKER_HOST)`;
  const advice = 'Point DOCKER_HOST or the Docker context (docker context ls) at a Docker engine';

  test('ps must name the endpoint, what it answered and what to do', async () => {
    const dir = join(scratch, 'not-an-engine');
    mkdirSync(dir, { recursive: true });
    const result = await runCli(['-p', 'tscn-notengine', 'ps'], { cwd: dir, env: { DOCKER_HOST: `tcp://127.0.0.1:${port}`, HOME: scratch } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: could not list containers of project tscn-notengine: ${endpoint()} is not a Docker engine: ` +
        `it answered 404 Not Found with an empty body. ${advice}\n`,
    );
  });

  test('its 404 must never read as "not found" (nothing may be created because of it)', async () => {
    const engine = createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: `tcp://127.0.0.1:${port}` }).endpoint);
    const { error } = await failure(() => engine.inspectVolume('tscn-notengine_data'));
    engine.close();
    expect(error).toMatchObject({ kind: 'bad-endpoint', statusCode: 404 });
  });

  test('a body that is not an engine error must be shown, shortened to one line', async () => {
    const engine = createDockerEngine(resolveEndpoint({ HOME: scratch, DOCKER_HOST: `tcp://127.0.0.1:${port}` }).endpoint);
    const { error } = await failure(() => engine.inspectContainer('html'));
    engine.close();
    expect((error as Error).message).toBe(
      `could not inspect container html: ${endpoint()} is not a Docker engine: it answered 502 Bad Gateway: ` +
        `<html><body>Bad Gateway</body></html>. ${advice}`,
    );
  });
});
