/**
 * `up`'s decisions against the in-memory engine: what it creates and starts, in which order, what
 * a second run leaves alone, what a changed file recreates, what a named service brings along, and
 * that `--dry-run` touches nothing. The real engine's side is covered by the e2e tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { upCommand } from '../../../src/commands/up.js';
import { LABEL } from '../../../src/model/labels.js';
import { detachedUp, fakeContext, type FakeContext } from '../../support/fake-context.js';

const COMPOSE = `
services:
  db:
    image: busybox
    volumes: [data:/data]
  web:
    image: busybox
    environment: { MODE: one }
    depends_on: [db]
    ports: ["8080:80"]
  admin:
    image: busybox
volumes:
  data: {}
`;

const contexts: FakeContext[] = [];
function project(text = COMPOSE, options = {}): FakeContext {
  const ctx = fakeContext({ 'compose.yaml': text }, options);
  contexts.push(ctx);
  return ctx;
}
afterAll(() => {
  for (const ctx of contexts) ctx.cleanup();
});

describe('up against the in-memory engine', () => {
  test('up must create the network, the volume and every container, and start them', async () => {
    const ctx = project();
    await upCommand(ctx, [], detachedUp());
    expect(ctx.engine.statusOf('app')).toEqual({ running: ['app-admin-1', 'app-db-1', 'app-web-1'] });
    expect([...ctx.engine.networks.keys()]).toEqual(['app_default']);
    expect([...ctx.engine.volumes.keys()]).toEqual(['app_data']);
    const web = [...ctx.engine.containers.values()].find((container) => container.name === 'app-web-1');
    expect(web?.labels[LABEL.service]).toBe('web');
    expect(web?.ports).toEqual([{ privatePort: 80, publicPort: 8080, hostIp: '0.0.0.0', protocol: 'tcp' }]);
  });

  test('a dependency must be started before the service that depends on it', async () => {
    const ctx = project();
    await upCommand(ctx, [], detachedUp());
    const calls = ctx.engine.methods();
    expect(calls.indexOf('startContainer app-db-1')).toBeLessThan(calls.indexOf('startContainer app-web-1'));
  });

  test('a second up of an unchanged project must change nothing', async () => {
    const ctx = project();
    await upCommand(ctx, [], detachedUp());
    const before = ctx.engine.changes().length;
    await upCommand(ctx, [], detachedUp());
    expect(ctx.engine.changes().slice(before)).toEqual([]);
  });

  test('a changed service must be recreated, and only it', async () => {
    const ctx = project();
    await upCommand(ctx, [], detachedUp());
    const before = ctx.engine.changes().length;
    writeFileSync(join(ctx.cwd, 'compose.yaml'), COMPOSE.replace('MODE: one', 'MODE: two'));
    await upCommand(ctx, [], detachedUp());
    const changes = ctx.engine.changes().slice(before);
    expect(changes.filter((call) => call.startsWith('createContainer'))).toEqual([expect.stringMatching(/^createContainer \w+_app-web-1$/)]);
    expect(changes.some((call) => call.includes('app-db-1') || call.includes('app-admin-1'))).toBe(false);
    expect(ctx.engine.statusOf('app')).toEqual({ running: ['app-admin-1', 'app-db-1', 'app-web-1'] });
  });

  test('a named service must bring its dependencies and nothing else', async () => {
    const ctx = project();
    await upCommand(ctx, ['web'], detachedUp());
    expect(ctx.engine.statusOf('app')).toEqual({ running: ['app-db-1', 'app-web-1'] });
  });

  test('--no-deps must start the named service without its dependencies', async () => {
    const ctx = project();
    await upCommand(ctx, ['web'], detachedUp({ noDeps: true }));
    expect(ctx.engine.statusOf('app')).toEqual({ running: ['app-web-1'] });
  });

  test('--scale must run that many replicas of the service', async () => {
    const ctx = project();
    await upCommand(ctx, ['admin'], detachedUp({ scale: ['admin=3'] }));
    expect(ctx.engine.statusOf('app')).toEqual({ running: ['app-admin-1', 'app-admin-2', 'app-admin-3'] });
  });

  test('--no-start must create the containers and start none', async () => {
    const ctx = project();
    await upCommand(ctx, [], detachedUp({ noStart: true }));
    expect(ctx.engine.statusOf('app')).toEqual({ created: ['app-admin-1', 'app-db-1', 'app-web-1'] });
  });

  test('--dry-run must print the plan in words and change nothing', async () => {
    const ctx = project(COMPOSE, { dryRun: true });
    await upCommand(ctx, [], detachedUp());
    expect(ctx.engine.changes()).toEqual([]);
    expect(ctx.output.stdout()).toContain('create web (app-web-1)');
  });

  test('a container the engine refuses to start must fail up and leave its dependency running', async () => {
    const ctx = project();
    ctx.engine.failWhen((call) => (call.method === 'startContainer' && call.target === 'app-web-1' ? new Error('port is already allocated') : undefined));
    await expect(upCommand(ctx, [], detachedUp())).rejects.toThrow(/port is already allocated/);
    expect(ctx.engine.statusOf('app').running).toEqual(['app-admin-1', 'app-db-1']);
  });
});
