/**
 * `tscompose watch` with the other actions: sync+restart, restart (with the `restart: true`
 * dependents following), sync+exec and rebuild (a new image, the container recreated with its
 * anonymous volume kept, the replaced image pruned).
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { contentBecomes, containerId, eventually, execIn, startedAt, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const project = new WatchProject('tscw-act', 'watch-actions');
const app = 'tscw-act-app-1';
const dependent = 'tscw-act-dependent-1';
const bystander = 'tscw-act-bystander-1';

beforeAll(async () => {
  await project.start(['watch']);
});

afterAll(async () => {
  await project.cleanup();
});

async function afterBatch(change: () => void, mention: RegExp): Promise<string> {
  const from = project.mark();
  change();
  await project.waitFor(mention, 30_000, from);
  return project.waitFor(/done in \d/, 60_000, from);
}

describe('watch: actions', () => {
  test('sync+restart must copy the file, then restart the service', async () => {
    const before = await startedAt(app);
    await afterBatch(() => project.write('conf/app.ini', 'setting=2\n'), /restarted tscw-act-app-1/);
    expect(await execIn(app, 'cat', '/conf/app.ini')).toBe('setting=2');
    expect(await startedAt(app)).not.toBe(before);
  });

  test('restart must restart the service and its restart: true dependents, and no other service', async () => {
    const before = { app: await startedAt(app), dependent: await startedAt(dependent), bystander: await startedAt(bystander) };
    const output = await afterBatch(() => project.write('restart.txt', '1\n'), /restarted tscw-act-dependent-1/);
    expect(output).toMatch(/app: restarted tscw-act-app-1 \(restart rule on \.\/restart\.txt\)/);
    expect(output).toMatch(/dependent: restarted tscw-act-dependent-1 \(depends on app with restart: true\)/);
    expect(await startedAt(app)).not.toBe(before.app);
    expect(await startedAt(dependent)).not.toBe(before.dependent);
    expect(await startedAt(bystander)).toBe(before.bystander);
  });

  test('sync+exec must run the hook in the container after copying', async () => {
    project.write('hooks/hook.txt', 'hook-1\n');
    expect(await contentBecomes(app, '/tmp/hook-ran', 'hook-1')).toBe('hook-1');
  });

  test('sync+exec must run the hook with its environment on top of the container\'s, a variable listed without a value unset', async () => {
    project.write('hooks/hook.txt', 'hook-2\n');
    await contentBecomes(app, '/tmp/hook-ran', 'hook-2');
    expect(await execIn(app, 'cat', '/tmp/hook-env')).toBe('synced unset from-service');
  });

  test('rebuild must build a new image, recreate the container from it with its anonymous volume, and prune the old image', async () => {
    await docker('exec', app, 'sh', '-c', 'echo kept > /data/marker');
    const oldImage = await docker('inspect', '--format', '{{.Image}}', app);
    const oldId = await containerId(app);
    const output = await afterBatch(() => project.write('app/version.txt', 'v2\n'), /rebuilt .* and recreated tscw-act-app-1/);
    // Without --quiet the builder's output is shown, prefixed with the service.
    expect(output).toMatch(/^\[app\] #\d+ \[(?:\S+ )?1\/\d+\] FROM /m);
    expect(await containerId(app)).not.toBe(oldId);
    expect(await execIn(app, 'cat', '/version.txt')).toBe('v2');
    expect(await execIn(app, 'cat', '/data/marker')).toBe('kept');
    // The replaced image had its tag moved to the new one: nothing names it and nothing uses it.
    await eventually(async () => ((await docker('images', '-q', '--no-trunc')).includes(oldImage) ? undefined : true), 10_000, 'old image pruned');
  });
});
