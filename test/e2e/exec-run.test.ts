/**
 * exec and run against the real engine: exit codes, stdin, a TTY in a pseudo-terminal and none
 * outside one, replicas, one-off containers named and labelled as Compose names them (and seen by
 * Compose itself), dependencies started first, the run flags, and --rm leaving nothing behind,
 * also after Ctrl-C.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker, inspect } from '../support/docker-cli.js';
import { BackgroundCli, inTerminal } from './command-support.js';
import { containersOf, fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

const project = new TestProject('cmd-exec', fixture('cmd-exec'));
const hostDir = mkdtempSync(join(tmpdir(), 'cmd-exec-'));
const background: BackgroundCli[] = [];

async function oneOffs(): Promise<string[]> {
  return (await containersOf(project.name)).filter((container) => container.labels['com.docker.compose.oneoff'] === 'True').map((container) => container.name);
}

beforeAll(async () => {
  await project.cleanup();
  await project.ok(['up', '-d', '--scale', 'web=2']);
});

afterAll(async () => {
  for (const cli of background) cli.stop();
  await project.cleanup();
  rmSync(hostDir, { recursive: true, force: true });
});

describe('exec', () => {
  test('exec must pass the exit code of the command through and keep stdout and stderr apart', async () => {
    const result = await project.run(['exec', '-T', 'web', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toContain('err\n');
  });

  test('exec must run the command with -e, -u and -w', async () => {
    const result = await project.run(['exec', '-T', '-e', 'A=1', '-u', 'nobody', '-w', '/tmp', 'web', 'sh', '-c', 'echo $A $FROM_FILE; id -u; pwd']);
    expect(result.stdout).toBe('1 file\n65534\n/tmp\n');
    expect(result.code).toBe(0);
  });

  test('exec --index must pick that replica, and a missing one must be an error', async () => {
    const second = await inspect('container', 'cmd-exec-web-2');
    const result = await project.run(['exec', '-T', '--index', '2', 'web', 'hostname']);
    expect(result.stdout.trim()).toBe(second.Config.Hostname);
    const missing = await project.run(['exec', '-T', '--index', '3', 'web', 'true']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('service "web" is not running container #3');
  });

  test('exec must send its stdin to the command', async () => {
    const result = await project.run(['exec', '-T', 'web', 'cat'], { input: 'through stdin' });
    expect(result.stdout).toBe('through stdin');
  });

  test('exec in a terminal must give the command a terminal and pass its exit code through', async () => {
    const result = await inTerminal(project, ['exec', 'web', 'sh', '-c', 'tty; exit 4']);
    expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(result.code).toBe(4);
  });

  test('exec outside a terminal must give the command none', async () => {
    const result = await project.run(['exec', 'web', 'tty']);
    expect(result.stdout).toContain('not a tty');
    expect(result.code).toBe(1);
  });
});

describe('run', () => {
  test('run must create a one-off container named and labelled as Compose does, without the service ports', async () => {
    const result = await project.ok(['run', '-d', 'web', 'sleep', '60']);
    const id = result.stdout.trim();
    const container = await inspect('container', id);
    const labels = container.Config.Labels as Record<string, string>;
    expect(container.Name).toMatch(/^\/cmd-exec-web-run-[0-9a-f]{12}$/);
    expect(labels).toMatchObject({
      'com.docker.compose.project': 'cmd-exec',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'True',
      'com.docker.compose.container-number': '1',
    });
    expect(labels['com.docker.compose.slug']).toMatch(/^[0-9a-f]{64}$/);
    expect(container.Name.slice(-12)).toBe(labels['com.docker.compose.slug'].slice(0, 12));
    expect(container.HostConfig.PortBindings).toEqual({});
    const listed = await project.ok(['ps', '-a', '--format', '{{.Name}}']);
    expect(listed.stdout).toContain(container.Name.slice(1));
  });

  test('Docker Compose must see the one-off containers of tscompose run', async () => {
    const { stdout } = await promisify(execFile)('docker-compose', ['-p', project.name, 'ps', '-a', '--format', '{{.Name}}'], { cwd: project.dir });
    expect(stdout).toMatch(/cmd-exec-web-run-[0-9a-f]{12}/);
  });

  test('run --rm must pass the exit code through and leave nothing behind', async () => {
    const before = await oneOffs();
    const result = await project.run(['run', '--rm', 'web', 'sh', '-c', 'echo ran; exit 5']);
    expect(result.stdout).toBe('ran\n');
    expect(result.code).toBe(5);
    expect(await oneOffs()).toEqual(before);
  });

  test('run --rm must leave nothing behind after Ctrl-C', async () => {
    const before = await oneOffs();
    const cli = new BackgroundCli(project, ['run', '--rm', '--no-deps', 'web', 'sh', '-c', 'trap "echo interrupted; exit 130" INT; echo waiting; sleep 60 & wait']);
    background.push(cli);
    await cli.waitForOutput('waiting');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(cli.stdout).toContain('interrupted');
    expect(await oneOffs()).toEqual(before);
  });

  test('run must start the dependencies of the service first and wait until they are healthy', async () => {
    await project.ok(['stop', 'db']);
    const result = await project.ok(['run', '--rm', 'web', 'true']);
    expect(result.stderr).toContain('Container cmd-exec-db-1  Started');
    const db = await inspect('container', 'cmd-exec-db-1');
    expect(db.State.Health.Status).toBe('healthy');
  });

  test('run must apply its flags to the one-off container', async () => {
    writeFileSync(join(hostDir, 'note.txt'), 'mounted');
    await project.ok([
      'run', '-d', '--no-deps', '--name', 'cmd-exec-flags', '-e', 'A=1', '-l', 'x=y', '-u', 'nobody', '-w', '/tmp',
      '--entrypoint', 'sleep', '-v', `${hostDir}:/data:ro`, '-p', '127.0.0.1::81', '--cap-add', 'NET_ADMIN', 'web', '60',
    ]);
    const container = await inspect('container', 'cmd-exec-flags');
    expect(container.Config.Env).toEqual(expect.arrayContaining(['A=1', 'FROM_FILE=file']));
    expect(container.Config.Labels).toMatchObject({ x: 'y', 'from.file': '1', 'com.docker.compose.oneoff': 'True' });
    expect(container.Config).toMatchObject({ User: 'nobody', WorkingDir: '/tmp', Entrypoint: ['sleep'], Cmd: ['60'] });
    expect(container.HostConfig.Binds).toEqual([`${hostDir}:/data:ro`]);
    expect(Object.keys(container.HostConfig.PortBindings)).toEqual(['81/tcp']);
    expect(container.HostConfig.CapAdd).toEqual(['NET_ADMIN']);
    expect(await docker('exec', '-u', 'root', 'cmd-exec-flags', 'cat', '/data/note.txt')).toBe('mounted');
  });

  test('run --service-ports must publish the ports of the service', async () => {
    const id = (await project.ok(['run', '-d', '--no-deps', '--service-ports', 'web', 'sleep', '60'])).stdout.trim();
    const container = await inspect('container', id);
    expect(Object.keys(container.HostConfig.PortBindings)).toEqual(['80/tcp']);
  });

  test('run -T must send its stdin to the command', async () => {
    const result = await project.run(['run', '--rm', '-T', '--no-deps', 'web', 'cat'], { input: 'piped in' });
    expect(result.stdout).toBe('piped in');
    expect(result.code).toBe(0);
  });

  test('run in a terminal must give the command a terminal and pass its exit code through', async () => {
    const result = await inTerminal(project, ['run', '--rm', '--no-deps', 'web', 'sh', '-c', 'tty; exit 6']);
    expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(result.code).toBe(6);
  });

  test('down must remove the one-off containers too', async () => {
    expect((await oneOffs()).length).toBeGreaterThan(0);
    await project.ok(['down']);
    expect(await containersOf(project.name)).toEqual([]);
  });
});
