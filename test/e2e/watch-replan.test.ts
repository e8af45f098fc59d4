/**
 * While watching, the compose file, `.env` and included files are watched too: a change re-plans
 * and applies only the difference (unchanged services keep their containers); a file with errors
 * is reported with its position and watching goes on with the last good configuration.
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { docker } from '../support/docker-cli.js';
import { containerId, startedAt, WatchProject } from './watch-support.js';

jest.setTimeout(120_000);

const project = new WatchProject('tscw-rp', 'watch-replan');
const web = 'tscw-rp-web-1';
const db = 'tscw-rp-db-1';
const extra = 'tscw-rp-extra-1';

beforeAll(async () => {
  await project.start(['watch']);
});

afterAll(async () => {
  await project.cleanup();
});

async function envOf(container: string): Promise<string[]> {
  return JSON.parse(await docker('inspect', '--format', '{{json .Config.Env}}', container)) as string[];
}

async function replan(edit: () => void): Promise<string> {
  const from = project.mark();
  edit();
  return project.waitFor(/done in \d/, 30_000, from);
}

describe('watch: re-plan on compose file and .env changes', () => {
  test('a changed service in the compose file must be recreated, and an unchanged one left alone', async () => {
    const dbBefore = { id: await containerId(db), started: await startedAt(db) };
    const webBefore = await containerId(web);
    const output = await replan(() => project.write('compose.yaml', readFileSync(project.path('compose.yaml'), 'utf8').replace('MODE: one', 'MODE: two')));
    expect(output).toMatch(/project: recreated tscw-rp-web-1 \(environment MODE changed\)/);
    expect(await envOf(web)).toContain('MODE=two');
    expect(await containerId(web)).not.toBe(webBefore);
    expect({ id: await containerId(db), started: await startedAt(db) }).toEqual(dbBefore);
  });

  test('a change to .env must re-plan with the new values, and leave the services it does not concern alone', async () => {
    const dbBefore = { id: await containerId(db), started: await startedAt(db) };
    const output = await replan(() => project.write('.env', 'LEVEL=high\n'));
    expect(output).toMatch(/project: recreated tscw-rp-web-1 \(environment LEVEL changed\)/);
    expect(output).not.toMatch(/tscw-rp-db-1/);
    expect(await envOf(web)).toContain('LEVEL=high');
    expect({ id: await containerId(db), started: await startedAt(db) }).toEqual(dbBefore);
  });

  test('a change to an included file must re-plan, recreating only the service it changed', async () => {
    const before = { web: await containerId(web), db: { id: await containerId(db), started: await startedAt(db) }, extra: await containerId(extra) };
    const output = await replan(() => project.write('extra.yaml', readFileSync(project.path('extra.yaml'), 'utf8').replace('FLAVOUR: plain', 'FLAVOUR: spicy')));
    expect(output).toMatch(/project: recreated tscw-rp-extra-1 \(environment FLAVOUR changed\)/);
    expect(await envOf(extra)).toContain('FLAVOUR=spicy');
    expect(await containerId(extra)).not.toBe(before.extra);
    expect(await containerId(web)).toBe(before.web);
    expect({ id: await containerId(db), started: await startedAt(db) }).toEqual(before.db);
  });

  test('a compose file with an error must be reported with file:line:col, and watching must go on', async () => {
    const good = readFileSync(project.path('compose.yaml'), 'utf8');
    const from = project.mark();
    project.write('compose.yaml', good.replace('    init: true\n    environment:', '    init: true\n    enviroment:'));
    const report = await project.waitFor(/nothing was applied/, 30_000, from);
    expect(report).toMatch(/compose\.yaml:\d+:\d+\s+services\.web/);
    expect(report).toMatch(/still watching with the last good configuration/);
    const webBefore = await containerId(web);
    // The fixed file applies again (and the broken one changed nothing meanwhile).
    const output = await replan(() => project.write('compose.yaml', good.replace('MODE: two', 'MODE: three')));
    expect(output).toMatch(/recreated tscw-rp-web-1/);
    expect(await containerId(web)).not.toBe(webBefore);
    expect(await envOf(web)).toContain('MODE=three');
  });
});
