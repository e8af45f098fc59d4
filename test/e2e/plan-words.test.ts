/**
 * What a person reads, on a real project: `up --dry-run` prints the plan in words (and changes
 * nothing), `up --explain` prints the same causes while it runs, `ps --format` runs Compose's Go
 * templates, and the terminal view has Compose's header and one timer format, also on a terminal
 * that reports no size.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { docker } from '../support/docker-cli.js';
import { baseEnv, cliPath } from '../support/run-cli.js';
import { TEST_IMAGE } from './engine-support.js';
import { fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(60_000);

const run = promisify(execFile);
const project = new TestProject('ux-plan', fixture('ux-plan'));
/** A second name for the test image: a changed `image:` without building anything. */
const RETAGGED = 'ux-plan-app:2';

async function snapshot(): Promise<string[]> {
  return (await project.containers()).map((container) => `${container.id} ${container.status} ${container.startedAt}`);
}

/** Runs the CLI on a pseudo-terminal (`script`), `stty` set first when given; returns what the terminal showed. */
async function onTerminal(args: readonly string[], stty?: string): Promise<string> {
  const quoted = [process.execPath, cliPath, '-p', project.name, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const environment: Record<string, string> = { ...baseEnv(), XDG_STATE_HOME: project.stateHome, TERM: 'xterm' };
  delete environment.CI;
  const command = stty === undefined ? quoted : `stty ${stty}; ${quoted}`;
  const { stdout } = await run('script', ['-qec', command, '/dev/null'], { cwd: project.dir, env: environment });
  return stdout;
}

beforeAll(async () => {
  await project.cleanup();
  await docker('tag', TEST_IMAGE, RETAGGED);
});

afterAll(async () => {
  await project.cleanup();
  await docker('rmi', RETAGGED).catch(() => undefined);
});

describe('the plan in words', () => {
  test('up --dry-run on a new project must print one line per action, without node numbers, and create nothing', async () => {
    const result = await project.ok(['--dry-run', 'up', '-d']);
    expect(result.stdout).toBe(
      [
        'create network ux-plan_default: not found',
        'create volume ux-plan_data: not found',
        'create db (ux-plan-db-1): not found',
        'create web (ux-plan-web-1): not found',
        '',
      ].join('\n'),
    );
    expect(await project.containers()).toEqual([]);
  });

  test('up --dry-run on an unchanged project must say there is nothing to do', async () => {
    await project.ok(['up', '-d']);
    expect((await project.ok(['--dry-run', 'up', '-d'])).stdout).toBe('nothing to do\n');
  });

  test('a changed image and changed variables must be named, the values never printed', async () => {
    const before = await snapshot();
    const result = await project.ok(['--dry-run', 'up', '-d'], { env: { WEB_IMAGE: RETAGGED, MODE: 'b', TOKEN: 's3cr3t-two' } });
    expect(result.stdout).toBe(`recreate web (ux-plan-web-1): image "${TEST_IMAGE}" -> "${RETAGGED}", environment MODE, TOKEN changed\n`);
    expect(result.stdout + result.stderr).not.toMatch(/s3cr3t/);
    expect(await snapshot()).toEqual(before);
  });

  test('a stopped container must be started, with the engine\'s words for how it stopped', async () => {
    await project.ok(['stop', 'db']);
    const result = await project.ok(['--dry-run', 'up', '-d']);
    expect(result.stdout).toMatch(/^start db \(ux-plan-db-1\): exited \(137\) .+ ago\n$/);
  });

  test('up --explain must print the causes on stderr and carry them out', async () => {
    const result = await project.ok(['up', '-d', '--explain'], { env: { MODE: 'c' } });
    expect(result.stderr).toMatch(/^start db \(ux-plan-db-1\): exited \(137\) .+ ago$/m);
    expect(result.stderr).toContain('recreate web (ux-plan-web-1): environment MODE changed\n');
    expect(result.stderr).toContain(' Container ux-plan-web-1  Recreated');
    const web = (await project.containers()).find((container) => container.service === 'web');
    expect(web?.env).toContain('MODE=c');
  });
});

describe('ps --format', () => {
  test('a Go template with if, range, functions and .Label must print what Compose prints', async () => {
    const port = (await docker('port', 'ux-plan-web-1', '8080/tcp')).split(':').at(-1);
    const template = '{{.Label "com.docker.compose.service"}}:{{if .Publishers}}{{range .Publishers}} {{.PublishedPort}}/{{upper .Protocol}}{{end}}{{else}} none{{end}}';
    const result = await project.ok(['ps', '--format', template], { env: { MODE: 'c' } });
    expect(result.stdout).toBe(`db: none\nweb: ${port}/TCP\n`);
  });

  test('table must print Compose\'s header above aligned columns', async () => {
    const result = await project.ok(['ps', '--format', 'table {{.Service}}\\t{{.State}}'], { env: { MODE: 'c' } });
    expect(result.stdout).toBe('SERVICE   STATE\ndb        running\nweb       running\n');
  });

  test('a template that cannot run must fail with exit code 1 and print nothing', async () => {
    const result = await project.run(['ps', '--format', '{{.Nope}}'], { env: { MODE: 'c' } });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain("can't evaluate field Nope");
  });
});

describe('the terminal view', () => {
  test('it must have one header line like Compose\'s, and timers in one format', async () => {
    const output = await onTerminal(['--progress', 'tty', 'up', '-d', '--force-recreate', 'db'], 'cols 120 rows 40');
    // The last frame drawn: the header, then the finished resource with its time.
    const frame = output.slice(output.lastIndexOf('[+] Running')).replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(frame).toMatch(/^\[\+\] Running (\d+)\/\1\r?\n/);
    expect(frame.match(/\[\+\]/g)).toHaveLength(1);
    expect(frame).toMatch(/\n. Container ux-plan-db-1 {2}Started \[\d+\.\ds\]\r?\n/);
  });

  test('a terminal that reports 0 columns must get readable lines, not one character per line', async () => {
    const output = await onTerminal(['--progress', 'tty', 'up', '-d', '--force-recreate', 'db']);
    expect(output).toContain(' Container ux-plan-db-1  Started');
    const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '');
    expect(lines.filter((line) => line.trim().length === 1)).toEqual([]);
  });
});
