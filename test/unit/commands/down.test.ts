/**
 * `down`'s decisions against the in-memory engine: what it removes, in which order, what `-v` adds,
 * and what it never removes (a resource without the project's label). The real engine's side is
 * covered by the e2e tests.
 */
import { downCommand } from '../../../src/commands/down.js';
import { upCommand } from '../../../src/commands/up.js';
import { detachedUp, fakeContext, type FakeContext } from '../../support/fake-context.js';

const UP = detachedUp();

const COMPOSE = `
services:
  db:
    image: busybox
    volumes: [data:/data]
  web:
    image: busybox
    depends_on: [db]
volumes:
  data: {}
`;

const contexts: FakeContext[] = [];
async function upProject(): Promise<FakeContext> {
  const ctx = fakeContext({ 'compose.yaml': COMPOSE });
  contexts.push(ctx);
  await upCommand(ctx, [], UP);
  return ctx;
}
afterAll(() => {
  for (const ctx of contexts) ctx.cleanup();
});

describe('down against the in-memory engine', () => {
  test('down must remove the containers and the network and keep the volume', async () => {
    const ctx = await upProject();
    await downCommand(ctx, [], { volumes: false });
    expect(ctx.engine.statusOf('app')).toEqual({});
    expect([...ctx.engine.networks.keys()]).toEqual([]);
    expect([...ctx.engine.volumes.keys()]).toEqual(['app_data']);
  });

  test('down must stop a service before the service it depends on', async () => {
    const ctx = await upProject();
    const before = ctx.engine.methods().length;
    await downCommand(ctx, [], { volumes: false });
    const calls = ctx.engine.methods().slice(before);
    expect(calls.indexOf('stopContainer app-web-1')).toBeLessThan(calls.indexOf('stopContainer app-db-1'));
    expect(calls.indexOf('removeContainer app-db-1')).toBeLessThan(calls.indexOf('removeNetwork app_default'));
  });

  test('down -v must remove the project volume', async () => {
    const ctx = await upProject();
    await downCommand(ctx, [], { volumes: true });
    expect([...ctx.engine.volumes.keys()]).toEqual([]);
  });

  test('down -v must keep a volume of the same name that the project does not own', async () => {
    const ctx = fakeContext({ 'compose.yaml': COMPOSE });
    contexts.push(ctx);
    ctx.engine.volumes.set('app_data', { name: 'app_data', driver: 'local', mountpoint: '', labels: {} });
    await downCommand(ctx, [], { volumes: true });
    expect([...ctx.engine.volumes.keys()]).toEqual(['app_data']);
    expect(ctx.engine.changes()).toEqual([]);
  });

  test('down -p NAME without a compose file must remove that project by its labels', async () => {
    const ctx = await upProject();
    const elsewhere = fakeContext({}, { projectName: 'app' }, ctx.engine);
    contexts.push(elsewhere);
    await downCommand(elsewhere, [], { volumes: false });
    expect(ctx.engine.statusOf('app')).toEqual({});
  });

  test('down --dry-run must change nothing', async () => {
    const ctx = await upProject();
    const before = ctx.engine.changes().length;
    await downCommand(ctx.with({ dryRun: true }), [], { volumes: true });
    expect(ctx.engine.changes().slice(before)).toEqual([]);
    expect(ctx.engine.statusOf('app')).toEqual({ running: ['app-db-1', 'app-web-1'] });
  });
});
