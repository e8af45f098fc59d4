/**
 * The loop guard with inherited mounts: a service that gets a bind mount of the project directory
 * through `volumes_from` must never sync into it (the copy would write the host file again, the
 * watcher would see it, and every batch would start the next one).
 */
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { execIn, sleep, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const project = new WatchProject('tscw-guard', 'watch-volumes-from');
const app = 'tscw-guard-app-1';

beforeAll(async () => {
  await project.start(['watch']);
});

afterAll(async () => {
  await project.cleanup();
});

describe('watch: guards with volumes_from', () => {
  test('a sync target inside a bind mount inherited through volumes_from must be skipped with a note, and no batch must follow', async () => {
    const from = project.mark();
    project.write('src/a.txt', 'edited\n');
    const output = await project.waitFor(/done in \d/, 20_000, from);
    expect(output).toMatch(/app: note: not copying \.\/src\/a\.txt to \/project\/src\/copy\/a\.txt: that is inside the bind mount at \/project/);
    // A copy would have landed in the host's ./src/copy and started the next batch.
    await sleep(1500);
    expect(existsSync(project.path('src/copy'))).toBe(false);
    expect(project.since(from).stdout.match(/^watch: /gm)).toHaveLength(1);
    // The container sees the host file through the inherited mount, unchanged by watch.
    expect(await execIn(app, 'cat', '/project/src/a.txt')).toBe('edited');
  });
});
