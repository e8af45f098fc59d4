/**
 * ls seeing a project that Docker Compose itself started, events --json while a service
 * restarts, and cp in both directions (a directory with a subdirectory and a symbolic link, into
 * every replica and back out of one).
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker } from '../support/docker-cli.js';
import { BackgroundCli } from './command-support.js';
import { eventually, removeProject } from './engine-support.js';
import { fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

const REFERENCE_PROJECT = 'cmd-lsref';
const project = new TestProject('cmd-evcp', fixture('cmd-ls-events-cp'));
const hostDir = mkdtempSync(join(tmpdir(), 'cmd-evcp-'));
const background: BackgroundCli[] = [];

function compose(...args: string[]): Promise<{ stdout: string }> {
  return promisify(execFile)('docker-compose', ['-p', REFERENCE_PROJECT, ...args], { cwd: project.dir });
}

beforeAll(async () => {
  await removeProject(REFERENCE_PROJECT);
  await project.cleanup();
  await compose('up', '-d');
  await project.ok(['up', '-d', '--scale', 'app=2']);
});

afterAll(async () => {
  for (const cli of background) cli.stop();
  await removeProject(REFERENCE_PROJECT);
  await project.cleanup();
  rmSync(hostDir, { recursive: true, force: true });
});

describe('ls', () => {
  test('ls must list a project started by Docker Compose, in each format', async () => {
    const listed = JSON.parse((await project.ok(['ls', '--format', 'json'])).stdout) as Record<string, string>[];
    expect(listed).toContainEqual({ Name: REFERENCE_PROJECT, Status: 'running(1)', ConfigFiles: join(project.dir, 'compose.yaml') });
    expect(listed).toContainEqual({ Name: 'cmd-evcp', Status: 'running(2)', ConfigFiles: join(project.dir, 'compose.yaml') });
    expect((await project.ok(['ls', '-q'])).stdout.split('\n')).toContain(REFERENCE_PROJECT);
    const table = (await project.ok(['ls', '--filter', `name=${REFERENCE_PROJECT}`])).stdout.split('\n');
    expect(table[0].split(/\s{2,}/)).toEqual(['NAME', 'STATUS', 'CONFIG FILES']);
    expect(table.slice(1, -1).map((line) => line.split(/\s{2,}/))).toEqual([[REFERENCE_PROJECT, 'running(1)', join(project.dir, 'compose.yaml')]]);
  });

  test('ls must leave out stopped projects unless -a', async () => {
    await compose('stop');
    expect((await project.ok(['ls', '-q'])).stdout.split('\n')).not.toContain(REFERENCE_PROJECT);
    const all = JSON.parse((await project.ok(['ls', '-a', '--format', 'json'])).stdout) as Record<string, string>[];
    expect(all.find((entry) => entry.Name === REFERENCE_PROJECT)?.Status).toBe('exited(1)');
  });
});

describe('events', () => {
  test('events --json must print Compose objects for the events of a restarting service', async () => {
    const cli = new BackgroundCli(project, ['events', '--json', 'app']);
    background.push(cli);
    // Events before the stream is open are not seen: signal until the first one arrives.
    await eventually(async () => {
      await docker('kill', '-s', 'WINCH', 'cmd-evcp-app-1');
      return cli.stdout.includes('\n') ? true : undefined;
    });
    await docker('restart', '-t', '5', 'cmd-evcp-app-1');
    await eventually(async () => (cli.stdout.includes('"action":"restart"') ? true : undefined));
    const events = cli.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    const id = await docker('inspect', '--format', '{{.Id}}', 'cmd-evcp-app-1');
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['kill', 'die', 'start', 'restart']));
    const restart = events.find((event) => event.action === 'restart')!;
    expect(Object.keys(restart)).toEqual(['action', 'attributes', 'id', 'service', 'time', 'type']);
    expect(restart).toMatchObject({ id, service: 'app', type: 'container', attributes: { name: 'cmd-evcp-app-1', image: 'tscompose-test/busybox' } });
    expect(restart.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/);
    expect(Object.keys(restart.attributes).filter((key) => key.startsWith('com.docker.compose.'))).toEqual([]);
  });
});

describe('cp', () => {
  test('cp must copy a directory into every container of the service and back out of one', async () => {
    const source = join(hostDir, 'tree');
    mkdirSync(join(source, 'sub'), { recursive: true });
    writeFileSync(join(source, 'a.txt'), 'alpha');
    writeFileSync(join(source, 'sub', 'b.txt'), 'beta');
    symlinkSync('a.txt', join(source, 'link'));
    await project.ok(['cp', source, 'app:/tmp/tree']);
    for (const container of ['cmd-evcp-app-1', 'cmd-evcp-app-2']) {
      expect(await docker('exec', container, 'cat', '/tmp/tree/a.txt', '/tmp/tree/sub/b.txt')).toBe('alphabeta');
      expect(await docker('exec', container, 'readlink', '/tmp/tree/link')).toBe('a.txt');
    }
    await docker('exec', 'cmd-evcp-app-2', 'sh', '-c', 'echo changed > /tmp/tree/a.txt');
    const back = join(hostDir, 'back');
    await project.ok(['cp', '--index', '2', 'app:/tmp/tree', back]);
    expect(readFileSync(join(back, 'a.txt'), 'utf8')).toBe('changed\n');
    expect(readFileSync(join(back, 'sub', 'b.txt'), 'utf8')).toBe('beta');
    expect(readlinkSync(join(back, 'link'))).toBe('a.txt');
  });

  test('cp must put a file under the destination name, follow a link with -L, and fail on a missing source', async () => {
    writeFileSync(join(hostDir, 'one.txt'), 'single');
    await project.ok(['cp', join(hostDir, 'one.txt'), 'app:/tmp/renamed.txt']);
    expect(await docker('exec', 'cmd-evcp-app-1', 'cat', '/tmp/renamed.txt')).toBe('single');
    const followed = join(hostDir, 'followed');
    await project.ok(['cp', '-L', 'app:/tmp/tree/link', followed]);
    expect(lstatSync(followed).isFile()).toBe(true);
    expect(readFileSync(followed, 'utf8')).toBe('alpha');
    const missing = await project.run(['cp', 'app:/tmp/nothing-here', join(hostDir, 'x')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('could not find /tmp/nothing-here in container cmd-evcp-app-1');
  });
});
