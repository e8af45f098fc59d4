/**
 * post_start and pre_stop against the real engine: each hook runs in the container with its own
 * user, working directory and environment on top of the service's; post_start after every start
 * (up, restart), pre_stop before every stop (stop, restart, down); a failing post_start fails `up`
 * with Compose's words.
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { TEST_IMAGE } from './engine-support.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

const project = new TestProject('tscn-hooks', fixture('lifecycle-hooks'));
/** With -p alone, stop, restart and down read no compose file (as in Compose), so they would know no hook. */
const withFile = (...args: string[]) => ['-f', 'compose.yaml', ...args];

/** The hook log in the volume, read by a throw-away container (the app may be stopped). */
async function hookLog(): Promise<string[]> {
  const text = await docker('run', '--rm', '-v', 'tscn-hooks_log:/log', TEST_IMAGE, 'sh', '-c', 'cat /log/hooks 2>/dev/null || true');
  return text.split('\n').filter(Boolean);
}

beforeAll(() => project.cleanup());
afterAll(() => project.cleanup());

describe('post_start and pre_stop', () => {
  const postStart = ['post_start uid=0 dir=/tmp hook=hook-value service=service-value', 'second'];

  test('up must run the post_start hooks in order, as their user, in their directory, with their environment', async () => {
    await project.ok(withFile('up', '-d', 'app'));
    expect(await hookLog()).toEqual(postStart);
  });

  test('an unchanged up must run no hook (nothing was started)', async () => {
    await project.ok(withFile('up', '-d', 'app'));
    expect(await hookLog()).toEqual(postStart);
  });

  test('stop must run pre_stop first, and start must run post_start again', async () => {
    await project.ok(withFile('stop', 'app'));
    expect(await hookLog()).toEqual([...postStart, 'pre_stop']);
    await project.ok(withFile('start', 'app'));
    expect(await hookLog()).toEqual([...postStart, 'pre_stop', ...postStart]);
  });

  test('restart must run pre_stop, then post_start', async () => {
    await project.ok(withFile('restart', 'app'));
    expect((await hookLog()).slice(-3)).toEqual(['pre_stop', ...postStart]);
  });

  test('down must run pre_stop before removing the container', async () => {
    await project.ok(withFile('down', '-t', '5'));
    expect((await hookLog()).at(-1)).toBe('pre_stop');
    expect(await statusOf('tscn-hooks')).toEqual([]);
  });

  test('a post_start that exits non-zero must fail up with the service, the status and its output', async () => {
    const result = await project.run(withFile('--profile', 'failing', 'up', '-d', 'failing'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failing hook exited with status 3');
    expect(result.stderr).toContain('broken');
  });
});
