/**
 * Bind-mount reloads while watching: a change under a service's bind-mount source restarts it
 * (the default), signals it, runs a command in it, or does nothing, as `x-tscompose-reload` says; only that service
 * and its `restart: true` dependents are touched; a path also covered by a sync rule is synced,
 * not reloaded.
 */
import { jest } from '@jest/globals';
import { contentBecomes, eventually, execIn, logsOf, sleep, startedAt, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const project = new WatchProject('tscw-rl', 'watch-reload');
const c = (service: string): string => `tscw-rl-${service}-1`;

beforeAll(async () => {
  await project.start(['watch']);
});

afterAll(async () => {
  await project.cleanup();
});

async function batch(change: () => void, mention: RegExp): Promise<string> {
  const from = project.mark();
  change();
  await project.waitFor(mention, 30_000, from);
  return project.waitFor(/done in \d/, 30_000, from);
}

async function startTimes(): Promise<Record<string, string>> {
  const services = ['single', 'hup', 'hupfile', 'site', 'follower', 'devserver', 'overlap'];
  return Object.fromEntries(await Promise.all(services.map(async (service) => [service, await startedAt(c(service))] as const)));
}

describe('watch: bind-mount reloads', () => {
  test('a single-file mount replaced by rename must restart the service, which then sees the new file', async () => {
    const before = await startTimes();
    project.replace('app.conf', 'version=2\n');
    // The old container kept the old inode; the restart mounts the new file.
    await eventually(async () => ((await startedAt(c('single'))) !== before.single ? true : undefined), 15_000, 'single restarted');
    expect(await contentBecomes(c('single'), '/etc/app.conf', 'version=2')).toBe('version=2');
    expect(await logsOf(c('single'))).toContain('version=2');
  });

  test('a single-file mount saved by rename must leave a running container with the old file (why a restart is needed)', async () => {
    project.replace('trap.conf', 'new\n');
    await sleep(500);
    expect(await execIn(c('trap'), 'cat', '/etc/trap.conf')).toBe('old');
  });

  test('a single-file mount with a signal reload saved by rename must be restarted instead of signalled', async () => {
    const before = await startedAt(c('hupfile'));
    const output = await batch(() => project.replace('hupfile.conf', 'renamed\n'), /restarted tscw-rl-hupfile-1/);
    expect(output).toMatch(/the file was replaced: the running container still sees the old one/);
    expect(await startedAt(c('hupfile'))).not.toBe(before);
    expect(await execIn(c('hupfile'), 'cat', '/etc/hup.conf')).toBe('renamed');
  });

  test('a single-file mount with a signal reload edited in place must be signalled', async () => {
    const before = await startedAt(c('hupfile'));
    await batch(() => project.write('hupfile.conf', 'in place\n'), /sent SIGHUP to tscw-rl-hupfile-1/);
    await eventually(async () => ((await logsOf(c('hupfile'))).includes('reloaded: in place') ? true : undefined), 10_000, 'SIGHUP trapped');
    expect(await startedAt(c('hupfile'))).toBe(before);
  });

  test('a single-file mount edited in place must restart the service', async () => {
    const before = await startedAt(c('single'));
    await batch(() => project.write('app.conf', 'version=3\n'), /restarted tscw-rl-single-1 \(bind mount \.\/app\.conf\)/);
    expect(await startedAt(c('single'))).not.toBe(before);
    expect(await execIn(c('single'), 'cat', '/etc/app.conf')).toBe('version=3');
  });

  test('a change inside a mounted directory must restart that service and its restart: true dependent, no other', async () => {
    const before = await startTimes();
    const output = await batch(() => project.write('site/index.html', '<h1>2</h1>\n'), /restarted tscw-rl-follower-1/);
    expect(output).toMatch(/site: restarted tscw-rl-site-1 \(bind mount \.\/site\)/);
    const after = await startTimes();
    expect(after.site).not.toBe(before.site);
    expect(after.follower).not.toBe(before.follower);
    for (const service of ['single', 'hup', 'hupfile', 'devserver', 'overlap']) expect(after[service]).toBe(before[service]);
  });

  test('a signal reload must send the signal and not restart the service', async () => {
    const before = await startedAt(c('hup'));
    await batch(() => project.write('hup/hup.conf', 'two\n'), /sent SIGHUP to tscw-rl-hup-1 \(bind mount \.\/hup\)/);
    await eventually(async () => ((await logsOf(c('hup'))).includes('reloaded: two') ? true : undefined), 10_000, 'SIGHUP trapped');
    expect(await startedAt(c('hup'))).toBe(before);
  });

  test('an exec reload must run its command in the container and not restart it', async () => {
    const before = await startedAt(c('execer'));
    const output = await batch(() => project.write('exec-conf/c.conf', 'two\n'), /ran "sh -c cat \/conf\/c\.conf > \/tmp\/reloaded" in tscw-rl-execer-1/);
    expect(output).toMatch(/execer: ran "sh -c cat \/conf\/c\.conf > \/tmp\/reloaded" in tscw-rl-execer-1 \(bind mount \.\/exec-conf\)/);
    expect(await execIn(c('execer'), 'cat', '/tmp/reloaded')).toBe('two');
    expect(await startedAt(c('execer'))).toBe(before);
  });

  test('a mount with x-tscompose-reload: none must not reload its service', async () => {
    const before = await startedAt(c('devserver'));
    const from = project.mark();
    project.write('devsrc/main.js', 'changed\n');
    // A marker change afterwards proves the first one was seen and passed over.
    await batch(() => project.write('site/index.html', '<h1>3</h1>\n'), /restarted tscw-rl-site-1/);
    expect(project.since(from).stdout).not.toMatch(/devserver/);
    expect(await startedAt(c('devserver'))).toBe(before);
  });

  test('a directory both bind-mounted and synced by a rule must be synced, not reloaded', async () => {
    const before = await startedAt(c('overlap'));
    project.write('shared/s.txt', 's2\n');
    expect(await contentBecomes(c('overlap'), '/copy/s.txt', 's2')).toBe('s2');
    await sleep(500);
    expect(await startedAt(c('overlap'))).toBe(before);
  });
});
