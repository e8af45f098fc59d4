/**
 * kill, pause, unpause, port, top, images, rm, create, scale, wait, stats and attach against the
 * real engine, each checked through the docker CLI; and --dry-run after the command name.
 */
import { jest } from '@jest/globals';
import { docker, inspect } from '../support/docker-cli.js';
import { eventually } from './engine-support.js';
import { BackgroundCli } from './command-support.js';
import { containersOf, fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

const project = new TestProject('cmd-ctl', fixture('cmd-ctl'));
const background: BackgroundCli[] = [];

async function states(): Promise<Record<string, string>> {
  return Object.fromEntries((await containersOf(project.name)).map((container) => [container.name, container.status]));
}

beforeAll(async () => {
  await project.cleanup();
  await project.ok(['up', '-d']);
  // The trap is set before "started" is printed.
  await eventually(async () => ((await docker('logs', 'cmd-ctl-app-2')).includes('started') ? true : undefined));
});

afterAll(async () => {
  for (const cli of background) cli.stop();
  await project.cleanup();
});

describe('signals and states', () => {
  test('kill -s must send that signal to the running containers of the service', async () => {
    await project.ok(['kill', '-s', 'SIGHUP', 'app']);
    await eventually(async () => ((await docker('logs', 'cmd-ctl-app-1')).includes('got-hup') ? true : undefined));
    await eventually(async () => ((await docker('logs', 'cmd-ctl-app-2')).includes('got-hup') ? true : undefined));
    expect(await states()).toMatchObject({ 'cmd-ctl-app-1': 'running', 'cmd-ctl-app-2': 'running' });
  });

  test('kill must kill with SIGKILL by default, and say so when nothing runs', async () => {
    const result = await project.ok(['kill', 'worker']);
    expect(result.stderr).toContain('Container cmd-ctl-worker-1  Killed');
    const worker = await inspect('container', 'cmd-ctl-worker-1');
    expect(worker.State.ExitCode).toBe(137);
    const again = await project.ok(['kill', 'worker']);
    expect(again.stderr).toContain('no container to kill');
  });

  test('pause and unpause must freeze and thaw the containers', async () => {
    await project.ok(['pause', 'app']);
    expect((await inspect('container', 'cmd-ctl-app-1')).State.Paused).toBe(true);
    const exec = await project.run(['exec', '-T', 'app', 'true']);
    expect(exec.code).toBe(1);
    expect(exec.stderr).toContain('is paused');
    await project.ok(['unpause', 'app']);
    expect(await states()).toMatchObject({ 'cmd-ctl-app-1': 'running', 'cmd-ctl-app-2': 'running' });
  });

  test('--dry-run after the command must change nothing', async () => {
    const result = await project.ok(['kill', '--dry-run', 'app']);
    expect(result.stderr).toContain('DRY-RUN MODE -  Container cmd-ctl-app-1  Killed');
    expect(await states()).toMatchObject({ 'cmd-ctl-app-1': 'running', 'cmd-ctl-app-2': 'running' });
  });
});

describe('inspection', () => {
  test('port must print the host address of the replica --index names', async () => {
    const published = (await docker('port', 'cmd-ctl-app-2', '80/tcp')).split('\n')[0];
    const result = await project.ok(['port', '--index', '2', 'app', '80']);
    expect(result.stdout).toBe(`${published}\n`);
    const missing = await project.run(['port', 'app', '81']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no port 81/tcp for container cmd-ctl-app-1');
  });

  test('top must list the processes of each running container', async () => {
    const { stdout } = await project.ok(['top', 'app']);
    const blocks = stdout.split('\n\n').filter((block) => block !== '');
    expect(blocks.map((block) => block.split('\n')[0])).toEqual(['cmd-ctl-app-1', 'cmd-ctl-app-2']);
    expect(blocks[0].split('\n')[1]).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(blocks[0]).toContain('sh -c trap');
  });

  test('images must name the image of every container, as table, JSON and IDs', async () => {
    const id = await docker('image', 'inspect', '--format', '{{.Id}}', 'tscompose-test/busybox:latest');
    const rows = JSON.parse((await project.ok(['images', '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.ContainerName)).toEqual(['cmd-ctl-app-1', 'cmd-ctl-app-2', 'cmd-ctl-worker-1']);
    expect(rows[0]).toMatchObject({ ID: id, Repository: 'tscompose-test/busybox', Tag: 'latest', Size: expect.any(Number) });
    expect((await project.ok(['images', '-q'])).stdout).toBe(`${id.replace('sha256:', '')}\n`);
    const table = (await project.ok(['images', 'worker'])).stdout.split('\n');
    expect(table[0].split(/\s{2,}/)).toEqual(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE']);
    expect(table[1].split(/\s{2,}/)).toEqual(['cmd-ctl-worker-1', 'tscompose-test/busybox', 'latest', id.slice(7, 19), expect.stringMatching(/B$/)]);
  });

  test('stats --no-stream must print one reading per running container', async () => {
    const lines = (await project.ok(['stats', '--no-stream', '--format', 'json', 'app'])).stdout.trim().split('\n');
    const rows = lines.map((line) => JSON.parse(line) as Record<string, string>);
    expect(rows.map((row) => row.Name)).toEqual(['cmd-ctl-app-1', 'cmd-ctl-app-2']);
    expect(rows[0]).toMatchObject({ CPUPerc: expect.stringMatching(/%$/), MemUsage: expect.stringContaining(' / '), PIDs: expect.stringMatching(/^[1-9]/) });
  });
});

describe('containers', () => {
  test('rm must remove stopped containers only when the removal is confirmed', async () => {
    const declined = await project.ok(['rm', 'worker'], { input: 'n\n' });
    expect(declined.stdout).toContain('Going to remove cmd-ctl-worker-1');
    expect(await states()).toHaveProperty('cmd-ctl-worker-1', 'exited');
    await project.ok(['rm', 'worker'], { input: 'y\n' });
    expect(await states()).not.toHaveProperty('cmd-ctl-worker-1');
  });

  test('create must create the containers without starting them', async () => {
    await project.ok(['create', 'worker']);
    expect(await states()).toHaveProperty('cmd-ctl-worker-1', 'created');
  });

  test('rm -s -f must stop running containers and remove them without asking', async () => {
    await project.ok(['start', 'worker']);
    await project.ok(['rm', '-s', '-f', 'worker']);
    expect(await states()).not.toHaveProperty('cmd-ctl-worker-1');
  });

  test('scale must set the number of containers of a service', async () => {
    await project.ok(['scale', 'app=3']);
    expect(await states()).toMatchObject({ 'cmd-ctl-app-1': 'running', 'cmd-ctl-app-2': 'running', 'cmd-ctl-app-3': 'running' });
    await project.ok(['scale', 'app=2']);
    expect(await states()).not.toHaveProperty('cmd-ctl-app-3');
  });

  test('wait must exit with the exit code of the first container that stops', async () => {
    await project.ok(['up', '-d', 'finite']);
    // finite exits 2 s after it starts: a wait that starts too late finds nothing running (exit 1) and is tried again.
    for (let attempt = 1; ; attempt++) {
      const result = await project.run(['wait', 'finite', 'app']);
      if (result.code === 7 || attempt === 3) {
        expect(result.stdout).toBe('container "cmd-ctl-finite-1" exited with status code 7\n');
        expect(result.code).toBe(7);
        break;
      }
      await docker('start', 'cmd-ctl-finite-1');
    }
    expect(await states()).toMatchObject({ 'cmd-ctl-app-1': 'running', 'cmd-ctl-app-2': 'running' });
  });

  test('attach must show the output of the container until it exits, and exit with its code', async () => {
    const cli = new BackgroundCli(project, ['attach', '--no-stdin', '--index', '2', 'app']);
    background.push(cli);
    await eventually(async () => {
      await docker('kill', '-s', 'HUP', 'cmd-ctl-app-2');
      return cli.stdout.includes('got-hup') ? true : undefined;
    });
    await docker('stop', 'cmd-ctl-app-2');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout).toContain('got-term');
  });
});
