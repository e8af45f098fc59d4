/**
 * Which services attached `up` shows and waits for (Compose's rules): the services named, not
 * their dependencies unless --attach-dependencies; `attach: false` in the file; --attach and
 * --no-attach; and the combinations Compose refuses.
 */
import { jest } from '@jest/globals';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tsca-select', fixture('attached-selection'));

beforeAll(async () => {
  await project.cleanup();
});

afterAll(async () => {
  await project.cleanup();
});

describe('attached up service selection', () => {
  test('up SERVICE must attach to that service only and return when it exits, leaving its dependency running', async () => {
    const result = await project.run(['up', 'job']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Attaching to job-1\njob-1  | job-done\njob-1 exited with code 0\n');
    expect(await statusOf('tsca-select')).toEqual(['tsca-select-db-1 running', 'tsca-select-job-1 exited']);
  });

  test('--attach-dependencies must also show the dependencies, and still return when the named service exits', async () => {
    const result = await project.run(['up', '--attach-dependencies', 'job']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Attaching to db-1, job-1');
    expect(result.stdout).toContain('job-1 exited with code 0');
    expect(await statusOf('tsca-select')).toContain('tsca-select-db-1 running');
  });

  test('attach: false and --no-attach must keep a service out of the output', async () => {
    const result = await project.run(['up', '--no-attach', 'db', 'job', 'quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Attaching to job-1');
    expect(result.stdout).not.toContain('quiet-line');
  });

  test('--attach must be limited to the services of the run, and exclusive with --attach-dependencies', async () => {
    const outside = await project.run(['up', '--no-deps', '--attach', 'db', 'job']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('cannot attach to services not included in up: db');
    const both = await project.run(['up', '--attach', 'db', '--attach-dependencies', 'job']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('cannot combine --attach and --attach-dependencies');
  });
});
