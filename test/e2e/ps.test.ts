/**
 * `tscompose ps` against containers carrying Compose's labels: the table, the JSON fields, the
 * ID and service listings, status filters, orphans, and running with only `-p` and no file.
 */
import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { docker } from '../support/docker-cli.js';
import { runCli } from '../support/run-cli.js';
import { composeContainer, waitFor } from './compose-containers.js';
import { removeProject } from './engine-support.js';

jest.setTimeout(60_000);

const PROJECT = 'tsci-ps';
const cwd = fileURLToPath(new URL('../fixtures/ps', import.meta.url));
const noFile = fileURLToPath(new URL('../fixtures/ps-no-file', import.meta.url));

const ids: Record<string, string> = {};

beforeAll(async () => {
  await removeProject(PROJECT);
  const base = { project: PROJECT, workingDir: cwd };
  ids.web = await composeContainer({ ...base, service: 'web', command: ['sleep', '300'], flags: ['-p', '127.0.0.1::80', '--expose', '9000'] });
  ids.job = await composeContainer({ ...base, service: 'job', command: ['sh', '-c', 'exit 3'] });
  ids.run = await composeContainer({ ...base, service: 'job', oneoff: true, command: ['true'] });
  ids.orphan = await composeContainer({ ...base, service: 'retired', command: ['sleep', '300'] });
  await waitFor(ids.job);
  await waitFor(ids.run);
});

afterAll(async () => {
  await removeProject(PROJECT);
});

async function ps(...args: string[]) {
  const result = await runCli(['-p', PROJECT, 'ps', ...args], { cwd });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('tscompose ps', () => {
  test('ps must list the running containers, orphans included, in the Compose table', async () => {
    const port = (await docker('port', ids.web, '80/tcp')).split('\n')[0];
    const lines = (await ps()).split('\n');
    expect(lines[0].split(/\s{3,}/)).toEqual(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS']);
    // Aligned: every row's image starts under IMAGE, its service under SERVICE.
    for (const line of lines.slice(1, -1)) {
      expect(line.indexOf('tscompose-test/')).toBe(lines[0].indexOf('IMAGE'));
      expect(line.indexOf('"sleep 300"   ') + '"sleep 300"   '.length).toBe(lines[0].indexOf('SERVICE'));
    }
    expect(lines.slice(1, -1).map((line) => line.split(/\s{3,}/))).toEqual([
      ['tsci-ps-retired-1', 'tscompose-test/busybox:latest', '"sleep 300"', 'retired', expect.stringMatching(/ago$/), expect.stringMatching(/^Up /), ''],
      ['tsci-ps-web-1', 'tscompose-test/busybox:latest', '"sleep 300"', 'web', expect.stringMatching(/ago$/), expect.stringMatching(/^Up /), `9000/tcp, ${port}->80/tcp`],
    ]);
    expect(lines.at(-1)).toBe('');
  });

  test('ps --format json must print one Compose object per line, exit codes included', async () => {
    const entries = (await ps('-a', '--format', 'json'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.Name)).toEqual(['tsci-ps-job-1', 'tsci-ps-job-run-000000000001', 'tsci-ps-retired-1', 'tsci-ps-web-1']);
    const [job, , , web] = entries;
    expect(job).toMatchObject({ Service: 'job', Project: PROJECT, State: 'exited', ExitCode: 3, Health: '', Publishers: null, ID: ids.job.slice(0, 12) });
    expect(job.Status).toMatch(/^Exited \(3\) /);
    expect(web).toMatchObject({ Service: 'web', State: 'running', ExitCode: 0, Command: '"sleep 300"', Networks: 'bridge', Size: '0B' });
    expect(web.Publishers).toEqual([
      { URL: '127.0.0.1', TargetPort: 80, PublishedPort: expect.any(Number), Protocol: 'tcp' },
      { URL: '', TargetPort: 9000, PublishedPort: 0, Protocol: 'tcp' },
    ]);
    expect(web.Labels).toContain(`com.docker.compose.project=${PROJECT}`);
    expect(Object.keys(web)).toEqual([...Object.keys(web)].sort());
  });

  test('ps -q must print the full IDs the engine lists, and -a must add stopped and one-off containers', async () => {
    expect((await ps('-q')).trim().split('\n').sort()).toEqual([ids.orphan, ids.web].sort());
    expect((await ps('-a', '-q')).trim().split('\n').sort()).toEqual(Object.values(ids).sort());
  });

  test('ps --services must print each service once', async () => {
    expect(await ps('--services')).toBe('retired\nweb\n');
    expect(await ps('-a', '--services')).toBe('job\nretired\nweb\n');
  });

  test('ps --status and --filter status= must select by state without -a', async () => {
    expect(await ps('--status', 'exited', '--services')).toBe('job\n');
    expect(await ps('--filter', 'status=exited', '-q')).toBe(`${ids.job}\n`);
    expect((await ps('--status', 'running', '--status', 'exited', '--services')).split('\n')).toEqual(['job', 'retired', 'web', '']);
  });

  test('ps with service names must list only those services', async () => {
    expect(await ps('-a', '--services', 'job')).toBe('job\n');
  });

  test('ps --orphans=false must leave out services the compose file does not have', async () => {
    const result = await runCli(['ps', '--orphans=false', '--services'], { cwd, env: { COMPOSE_PROJECT_NAME: PROJECT } });
    expect(result).toMatchObject({ code: 0, stdout: 'web\n' });
  });

  test('ps with only -p and no compose file must work from labels', async () => {
    const result = await runCli(['-p', PROJECT, 'ps', '--services'], { cwd: noFile });
    expect(result).toMatchObject({ code: 0, stdout: 'retired\nweb\n', stderr: '' });
  });

  test('ps must reject an unknown service of the compose file and an unknown status', async () => {
    const unknownService = await runCli(['ps', 'nope'], { cwd, env: { COMPOSE_PROJECT_NAME: PROJECT } });
    expect(unknownService).toMatchObject({ code: 1, stderr: 'error: no such service: nope\n' });
    const unknownStatus = await runCli(['-p', PROJECT, 'ps', '--status', 'sleeping'], { cwd });
    expect(unknownStatus.code).toBe(1);
    expect(unknownStatus.stderr).toBe('error: invalid status "sleeping": use paused, restarting, removing, running, dead, created, exited\n');
  });
});
