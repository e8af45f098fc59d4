/**
 * --abort-on-container-exit, --abort-on-container-failure and --exit-code-from: the first (failing)
 * exit stops every service of the run, and `up` exits with the code Compose would.
 */
import { jest } from '@jest/globals';
import { removeProject } from './engine-support.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tsca-abort', fixture('attached-abort'));

beforeEach(async () => {
  await removeProject(project.name);
});

afterAll(async () => {
  await project.cleanup();
});

describe('attached up abort flags', () => {
  test('--abort-on-container-exit must stop every service at the first exit and exit with its code', async () => {
    const result = await project.run(['up', '--abort-on-container-exit', 'server', 'tests']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('tests-1 exited with code 3\n');
    expect(result.stderr).toContain('Aborting on container exit...\n');
    expect(await statusOf('tsca-abort')).toEqual(['tsca-abort-server-1 exited', 'tsca-abort-tests-1 exited']);
  });

  test('--exit-code-from must return the code of that service, also when the abort stopped it', async () => {
    const result = await project.run(['up', '--exit-code-from', 'server', 'server', 'tests']);
    // tests exits first (3); server is then stopped by SIGTERM (143), and that is its code.
    expect(result.code).toBe(143);
    expect(result.stdout).toContain('server-1 exited with code 143\n');
  });

  test('--abort-on-container-failure must let a clean exit pass and stop everything at the first failure', async () => {
    const result = await project.run(['up', '--abort-on-container-failure']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('ok-1 exited with code 0\n');
    expect(result.stdout).toContain('tests-1 exited with code 3\n');
    expect(result.stdout.indexOf('ok-1 exited')).toBeLessThan(result.stdout.indexOf('tests-1 exited'));
    expect(await statusOf('tsca-abort')).toEqual(['tsca-abort-ok-1 exited', 'tsca-abort-server-1 exited', 'tsca-abort-tests-1 exited']);
  });
});
