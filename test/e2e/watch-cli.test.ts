/**
 * The watch commands themselves: Compose's checks before anything starts, `up --watch`, errors
 * inside a batch (explained, and watching goes on), and Ctrl-C (exit 130, watchers closed,
 * containers left running).
 */
import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';
import { contentBecomes, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const projects: WatchProject[] = [];
function project(name: string, fixtureName: string): WatchProject {
  const created = new WatchProject(name, fixtureName);
  projects.push(created);
  return created;
}

afterAll(async () => {
  for (const created of projects) await created.cleanup();
});

async function runningContainers(name: string): Promise<string[]> {
  return (await docker('ps', '--filter', `label=com.docker.compose.project=${name}`, '--format', '{{.Names}}')).split('\n').filter(Boolean);
}

describe('watch: checks before starting', () => {
  test('a rebuild rule without a build section must fail with Compose\'s message and start nothing', async () => {
    const p = project('tscw-cli-nobuild', 'watch-cli-rebuild-no-build');
    const result = await p.run(['watch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('can\'t watch service "app" with action rebuild without a build context');
    expect(await runningContainers(p.name)).toEqual([]);
  });

  test('a project with nothing to watch must fail with Compose\'s message', async () => {
    const p = project('tscw-cli-nothing', 'watch-cli-nothing');
    const result = await p.run(['watch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("none of the selected services is configured for watch, consider setting a 'develop' section");
  });

  test('up --watch --no-build must be refused when a service has a rebuild rule', async () => {
    const p = project('tscw-cli-upnb', 'watch-cli-up');
    const result = await p.run(['up', '--watch', '--no-build', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--no-build is incompatible with watch action rebuild (service "app")');
    expect(await runningContainers(p.name)).toEqual([]);
  });

  test('a bad x-tscompose-reload must be reported with file:line:col', async () => {
    const p = project('tscw-cli-badrl', 'watch-cli-bad-reload');
    const result = await p.run(['watch', '--no-up']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/compose\.yaml:6:\d+\s+services\.web\.x-tscompose-reload\.signal\s+"HUP NOW" is not a signal name/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('watch: running', () => {
  test('up -d --watch must start the services, then sync changes', async () => {
    const p = project('tscw-cli-up', 'watch-cli-up');
    await p.start(['up', '-d', '--watch']);
    expect(await runningContainers(p.name)).toEqual(['tscw-cli-up-app-1']);
    p.write('src/a.txt', 'b\n');
    expect(await contentBecomes('tscw-cli-up-app-1', '/app/src/a.txt', 'b')).toBe('b');
  });

  test('Ctrl-C must exit 130 without a stack trace and leave the containers running', async () => {
    const p = projects.find((created) => created.name === 'tscw-cli-up')!;
    const exit = await p.interrupt();
    expect(exit.code).toBe(130);
    expect(exit.stderr.trimEnd().split('\n').at(-1)).toBe('canceled');
    expect(exit.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await runningContainers(p.name)).toEqual(['tscw-cli-up-app-1']);
  });

  test('watch --no-up must watch the containers as they are, without starting anything', async () => {
    const p = projects.find((created) => created.name === 'tscw-cli-up')!;
    const before = p.mark();
    await p.start(['watch', '--no-up']);
    expect(p.since(before).stderr).not.toMatch(/Creat|Start|Build/);
    p.write('src/a.txt', 'c\n');
    expect(await contentBecomes('tscw-cli-up-app-1', '/app/src/a.txt', 'c')).toBe('c');
    expect((await p.interrupt()).code).toBe(130);
  });

  test('up --watch (attached) must watch alongside the output, and Ctrl-C must stop the services with 130', async () => {
    const p = project('tscw-cli-att', 'watch-cli-up');
    await p.start(['up', '--watch'], /^Attaching to app-1$/m);
    await p.waitFor(/^Watch enabled$/m);
    p.write('src/a.txt', 'attached\n');
    expect(await contentBecomes('tscw-cli-att-app-1', '/app/src/a.txt', 'attached')).toBe('attached');
    const exit = await p.interrupt();
    expect(exit.code).toBe(130);
    expect(exit.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await runningContainers(p.name)).toEqual([]);
  });

  test('a sync into a read-only filesystem must be explained, and watching must go on', async () => {
    const p = project('tscw-cli-ro', 'watch-cli-readonly');
    await p.start(['watch']);
    const from = p.mark();
    p.write('src/a.txt', 'b\n');
    const report = await p.waitFor(/cannot copy/, 20_000, from);
    expect(report).toMatch(/app: error: cannot copy \/app\/src\/a\.txt into tscw-cli-ro-app-1: the container's filesystem there is read-only \(read_only: true on the service, or a :ro mount\)\. A sync target must be writable/);
    // The engine's own words follow on a line of their own.
    expect(report).toMatch(/\n {4}\(engine: could not copy files to \/ in container [0-9a-f]+: container rootfs is marked read-only\)/);
    p.write('scratch-src/s.txt', 'still watching\n');
    expect(await contentBecomes('tscw-cli-ro-app-1', '/scratch/s.txt', 'still watching')).toBe('still watching');
  });

  test('a failing sync+exec hook must name the user it ran as, with the command\'s output and the hint on lines of their own', async () => {
    const p = projects.find((created) => created.name === 'tscw-cli-ro')!;
    const from = p.mark();
    p.write('hooks/h.txt', '1\n');
    await p.waitFor(/done in \d/, 20_000, from);
    expect(p.since(from).stderr).toContain(
      [
        '  hooked: error: "sh -c echo x > /forbidden" exited with code 1 in tscw-cli-ro-hooked-1 (as user "1000:1000", the container\'s user):',
        "        sh: can't create /forbidden: Permission denied",
        '    Permission was denied: set user: in the exec hook of the rule to a user allowed to do this (e.g. user: root).',
      ].join('\n'),
    );
    // The copy before the hook went through.
    expect(await contentBecomes('tscw-cli-ro-hooked-1', '/home/hooks/h.txt', '1')).toBe('1');
  });
});

describe('watch: --prune=false and --quiet', () => {
  test('--quiet must hide the builder\'s output, also of the first build', async () => {
    const p = project('tscw-cli-prune', 'watch-cli-prune');
    await p.start(['watch', '--prune=false', '--quiet']);
    // The build itself is reported; what the builder prints is not.
    expect(p.stderr).toMatch(/Image tscw-cli-prune-app {2}Built/);
    expect(p.stderr).not.toMatch(/Step \d+\/\d+|#\d+ \[|builder-says-hello/);
  });

  test('--prune=false must keep the image a rebuild replaced, and --quiet hide the rebuild\'s builder output', async () => {
    const p = projects.find((created) => created.name === 'tscw-cli-prune')!;
    const container = 'tscw-cli-prune-app-1';
    const oldImage = await docker('inspect', '--format', '{{.Image}}', container);
    const from = p.mark();
    p.write('version.txt', 'v2\n');
    await p.waitFor(/rebuilt .* and recreated tscw-cli-prune-app-1/, 60_000, from);
    await p.waitFor(/done in \d/, 30_000, from);
    expect(await docker('inspect', '--format', '{{.Image}}', container)).not.toBe(oldImage);
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', oldImage)).toBe(oldImage);
    expect(p.since(from).stderr).not.toMatch(/Step \d+\/\d+|#\d+ \[|builder-says-hello/);
  });
});
