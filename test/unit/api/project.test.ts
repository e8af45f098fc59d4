/**
 * The API's decisions against the in-memory engine: problems with positions, what up/down/ps/port/
 * logs/exec ask of the engine and return, the events a caller gets, aborting, and that nothing is
 * written to the process's stdout or stderr. `import 'tscompose'` against the real engine is the
 * Jest example's e2e test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, ConfigError, formatProblems, loadProject, UsageError, type LoadProjectOptions, type ProjectEvent } from '../../../src/api/index.js';
import { FakeEngine } from '../../support/fake-engine.js';
// The session imports these two at once, lazily (see fake-context.ts).
import '../../../src/apply/project-lock.js';
import '../../../src/apply/seal-key.js';

const COMPOSE = `
services:
  db:
    image: busybox
    healthcheck: { test: ["CMD", "true"] }
  web:
    image: busybox
    depends_on:
      db: { condition: service_healthy }
    ports: ["80"]
`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function directory(files: Record<string, string>): { cwd: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'tscompose-api-'));
  roots.push(root);
  const cwd = join(root, 'shop');
  mkdirSync(cwd);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(cwd, file), text);
  return { cwd, env: { XDG_STATE_HOME: join(root, 'state'), HOME: root } };
}

function options(engine: FakeEngine, files: Record<string, string> = { 'compose.yaml': COMPOSE }, more: Partial<LoadProjectOptions> = {}): LoadProjectOptions {
  return { ...directory(files), connectEngine: async () => ({ engine, url: 'fake://engine' }), ...more };
}

describe('the API against the in-memory engine', () => {
  test('a project with errors must reject with every problem and its file:line:col', async () => {
    const bad = 'services:\n  web:\n    image: busybox\n    ports: ["x"]\n  db:\n    imagee: busybox\n';
    const error = await loadProject(options(new FakeEngine(), { 'compose.yaml': bad })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((problem) => `${problem.location?.line}:${problem.location?.col} ${problem.path}`);
    expect(problems).toEqual(['4:13 services.web.ports[0]', '6:5 services.db.imagee']);
    expect((error as ConfigError).problems[0].location?.file).toMatch(/shop\/compose\.yaml$/);
    expect(formatProblems(error as ConfigError, { cwd: (error as ConfigError).problems[0].location!.file.replace(/\/compose\.yaml$/, '') })).toContain('compose.yaml:6:5');
  });

  test('a loaded project must give its name, services and canonical config', async () => {
    const project = await loadProject(options(new FakeEngine()));
    expect(project.name).toBe('shop');
    expect([...project.services].sort()).toEqual(['db', 'web']);
    const config = project.config() as { name: string; services: Record<string, { ports: unknown[] }> };
    expect(config.name).toBe('shop');
    expect(config.services.web.ports).toEqual([{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
  });

  test('up must start the services, and ps, port, logs and exec must read them', async () => {
    const engine = new FakeEngine();
    const project = await loadProject(options(engine));
    await project.up({ wait: true });
    const containers = await project.ps();
    expect(containers.map((container) => [container.name, container.service, container.state, container.health ?? ''])).toEqual([
      ['shop-db-1', 'db', 'running', 'healthy'],
      ['shop-web-1', 'web', 'running', ''],
    ]);
    expect(await project.port('web', 80)).toEqual({ host: '0.0.0.0', port: 32768 });
    engine.write('shop-web-1', 'listening');
    const lines = [];
    for await (const entry of project.logs({ services: ['web'] })) lines.push(`${entry.container} ${entry.text}`);
    expect(lines).toEqual(['web-1 listening']);
    engine.execResult = () => ({ exitCode: 0, stdout: 'pong\n', stderr: '' });
    expect(await project.exec('db', ['ping'])).toEqual({ exitCode: 0, stdout: 'pong\n', stderr: '' });
    expect(engine.execs.map((exec) => exec.container)).toEqual(['shop-db-1']);
  });

  test('following logs must yield the lines as they come and end when the containers stop', async () => {
    const engine = new FakeEngine();
    const project = await loadProject(options(engine));
    await project.up();
    const exits: string[] = [];
    const lines: string[] = [];
    const following = (async () => {
      for await (const entry of project.logs({ follow: true, onExit: (exit) => exits.push(`${exit.container} ${exit.exitCode}`) })) {
        lines.push(`${entry.container} ${entry.text}`);
        if (lines.length === 1) engine.exit('shop-web-1', 2);
      }
    })();
    while (engine.eventSubscribers === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    engine.write('shop-web-1', 'first');
    engine.exit('shop-db-1', 0);
    await following;
    expect(lines).toEqual(['web-1 first']);
    expect(exits.sort()).toEqual(['db-1 0', 'web-1 2']);
  });

  test('down must remove what up created', async () => {
    const engine = new FakeEngine();
    const project = await loadProject(options(engine));
    await project.up();
    await project.down({ volumes: true });
    expect(engine.statusOf('shop')).toEqual({});
    expect([...engine.networks.keys()]).toEqual([]);
  });

  test('every call must report its plan and progress as events, and write nothing to stdout or stderr', async () => {
    const events: ProjectEvent[] = [];
    const writes: string[] = [];
    const [stdout, stderr] = [process.stdout.write, process.stderr.write];
    const capture = (chunk: unknown): boolean => (writes.push(String(chunk)), true);
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      const project = await loadProject(options(new FakeEngine(), { 'compose.yaml': `${COMPOSE}    environment: ["UNSET=\${NOT_SET}"]\n` }, { onEvent: (event) => events.push(event) }));
      await project.up();
      await project.down();
    } finally {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    }
    expect(writes).toEqual([]);
    expect(events.filter((event) => event.type === 'warning').map((event) => event.type === 'warning' && event.message)).toEqual([
      expect.stringContaining('"NOT_SET" variable is not set'),
    ]);
    expect(events.find((event) => event.type === 'plan')).toEqual({ type: 'plan', actions: expect.arrayContaining([expect.stringMatching(/^create web \(shop-web-1\)/)]) });
    expect(events).toContainEqual({ type: 'resource', resource: 'Container shop-web-1', state: 'done', text: 'Started' });
    expect(events).toContainEqual({ type: 'resource', resource: 'Network shop_default', state: 'done', text: 'Removed' });
  });

  test('an aborted up must reject with CancelledError and start nothing new', async () => {
    const engine = new FakeEngine();
    engine.delayMs = 5;
    const project = await loadProject(options(engine));
    const abort = new AbortController();
    engine.failWhen((call) => {
      if (call.method === 'createContainer') abort.abort();
      return undefined;
    });
    await expect(project.up({ signal: abort.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(engine.methods().filter((call) => call.startsWith('startContainer'))).toEqual([]);
  });

  test('up must refuse what an engine without Swarm cannot run, at its position, before touching the engine', async () => {
    const engine = new FakeEngine();
    const compose = 'services:\n  web:\n    image: busybox\n    volumes:\n      - {type: cluster, source: c, target: /c}\n';
    const project = await loadProject(options(engine, { 'compose.yaml': compose }));
    const error = await project.up().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => `${problem.location?.line}:${problem.location?.col} ${problem.path}`)).toEqual(['5:16 services.web.volumes[0].type']);
    expect(engine.changes()).toEqual([]);
  });

  test('a service the project does not have must be a UsageError naming the closest one', async () => {
    const project = await loadProject(options(new FakeEngine()));
    await expect(project.port('wbe', 80)).rejects.toThrow(new UsageError('no such service: wbe (did you mean "web"?)'));
  });
});
