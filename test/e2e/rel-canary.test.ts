/**
 * No secret in any output or label (issue: reliability and security, item 2). Canary values sit
 * in every place a secret can come from: the shell environment, a literal `environment:` value, an
 * env_file, secrets and configs from files, from the environment and inline. Every command runs,
 * in every progress and ANSI mode, with --dry-run, --explain, the debug switch, on error paths and
 * interrupted by Ctrl-C; its stdout and stderr, the labels of the containers, networks and volumes,
 * and every engine event while the test runs must not hold a canary. Only `config` prints them
 * (as Docker Compose does), which also proves the canaries are where the test thinks they are.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { docker } from '../support/docker-cli.js';
import type { CliResult } from '../support/run-cli.js';
import { CliRun } from './attached-support.js';
import { fixture, TestProject } from './lifecycle-support.js';
import { downLeavesNothing, VolumeRecord } from './rel-support.js';

jest.setTimeout(180_000);

const project = new TestProject('rel-canary', fixture('rel-canary'));
const volumes = new VolumeRecord(project.name);
const random = (): string => randomBytes(6).toString('hex');
/** The values the environment brings; the files' own canaries are fixed in the fixture. */
const SHELL = { CANARY_SHELL: `CANARY-shell-${random()}`, CANARY_SECRET: `CANARY-secretenv-${random()}`, CANARY_CONFIG: `CANARY-configenv-${random()}` };
const FILE_CANARIES = ['CANARY-literal-3e9b51', 'CANARY-envfile-8a2f6c', 'CANARY-secretfile-51e0d2', 'CANARY-configfile-9b7c33', 'CANARY-inline-c41d07'];
const CANARIES = [...Object.values(SHELL), ...FILE_CANARIES];

/** Canary values found in `text`, whatever escape codes or JSON escaping surround them. */
function canariesIn(text: string): string[] {
  return CANARIES.filter((canary) => text.includes(canary));
}

/** Every output checked so far, by what produced it: the assertion names the culprit. */
const leaks: string[] = [];
function check(what: string, ...texts: string[]): void {
  const found = canariesIn(texts.join('\n'));
  if (found.length > 0) leaks.push(`${what}: ${found.join(', ')}`);
}

function run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return project.run(args, { env: { ...SHELL, ...env } });
}

async function checked(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await run(args, env);
  check(`tscompose ${args.join(' ')} ${JSON.stringify(env)}`, result.stdout, result.stderr);
  return result;
}

let events: ChildProcess;
let eventText = '';

beforeAll(async () => {
  await project.cleanup();
  events = spawn('docker', ['events', '--format', '{{json .}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
  events.stdout!.setEncoding('utf8').on('data', (chunk: string) => (eventText += chunk));
});

afterAll(async () => {
  events.kill('SIGTERM');
  await project.cleanup();
  await volumes.removeSurvivors();
});

describe('no secret in any output or label', () => {
  test('config must print the environment canaries (the premise: they are set where the test thinks)', async () => {
    const result = await run(['config']);
    expect(result.code).toBe(0);
    expect(canariesIn(result.stdout)).toEqual(expect.arrayContaining([SHELL.CANARY_SHELL, 'CANARY-literal-3e9b51', 'CANARY-envfile-8a2f6c']));
  });

  test('up in every progress and ANSI mode, recreating each time, must print none', async () => {
    const modes = ['auto', 'tty', 'plain', 'quiet', 'json'];
    const ansi = ['auto', 'always', 'never'];
    for (const [index, progress] of modes.entries()) {
      const colour = progress === 'tty' ? 'always' : progress === 'plain' ? 'never' : ansi[index % ansi.length];
      const result = await checked(['--progress', progress, '--ansi', colour, 'up', '-d'], { MODE: `m${index}` });
      expect(result.code).toBe(0);
    }
    await volumes.record();
    expect(await docker('exec', 'rel-canary-app-1', 'sh', '-c', 'echo $FROM_SHELL; cat /run/secrets/env_secret /env_config')).toBe(
      `${SHELL.CANARY_SHELL}\n${SHELL.CANARY_SECRET}${SHELL.CANARY_CONFIG}`,
    );
  });

  test('--dry-run and --explain of a change to every secret source must name what changed, never its value', async () => {
    const changed = { CANARY_SECRET: `CANARY-secretenv-${random()}`, CANARY_SHELL: `CANARY-shell-${random()}` };
    CANARIES.push(...Object.values(changed));
    const dry = await checked(['--dry-run', 'up', '-d'], changed);
    expect(dry.code).toBe(0);
    const explained = await checked(['up', '-d', '--explain'], changed);
    expect(explained.code).toBe(0);
    expect(`${dry.stdout}${dry.stderr}`).toMatch(/FROM_SHELL|env_secret/);
  });

  test('ps, logs, stop, start, restart and pull in their output formats must print none', async () => {
    for (const args of [['ps'], ['ps', '-a', '--format', 'json'], ['ps', '--format', '{{.Labels}}'], ['logs'], ['stop', '-t', '0'], ['start'], ['restart', '-t', '0'], ['pull', '--ignore-pull-failures']]) {
      await checked(args);
    }
  });

  test('error paths must print none: a port conflict part-way, a configuration error, an unset secret variable', async () => {
    const blocker = await docker('run', '-d', '--label', 'com.docker.compose.project=rel-canary-blocker', '-p', '127.0.0.1:28682:80', 'tscompose-test/busybox:latest', 'sleep', '600');
    try {
      const conflict = await checked(['up', '-d'], { EDGE_PORT: '28682' });
      expect(conflict.code).toBe(1);
    } finally {
      await docker('rm', '-f', blocker);
    }
    expect((await checked(['up', '-d'], { EDGE_PORT: 'not-a-port' })).code).not.toBe(0);
    const unset = await project.run(['up', '-d'], { env: { CANARY_SHELL: SHELL.CANARY_SHELL, CANARY_CONFIG: SHELL.CANARY_CONFIG } });
    check('up with CANARY_SECRET unset', unset.stdout, unset.stderr);
    expect(unset.code).not.toBe(0);
    expect((await checked(['up', '-d'], { EDGE_PORT: '28681' })).code).toBe(0);
  });

  test('Ctrl-C during an attached up, and watch with the debug switch, must print none', async () => {
    const attached = new CliRun(project, ['up'], { env: { ...SHELL, MODE: 'attached' } });
    await attached.waitFor('stdout', 'Attaching to');
    attached.interrupt();
    const stopped = await attached.finished;
    check('attached up, then Ctrl-C', stopped.stdout, stopped.stderr);
    expect(stopped.code).toBe(130);

    const watching = new CliRun(project, ['watch'], { env: { ...SHELL, TSCOMPOSE_DEBUG: '1' } });
    await watching.waitFor('stdout', /Watch enabled/);
    watching.interrupt();
    const watched = await watching.finished;
    check('watch with TSCOMPOSE_DEBUG=1, then Ctrl-C', watched.stdout, watched.stderr);
    expect(watched.code).toBe(130);
  });

  test('the labels of the project\'s containers, networks and volumes must hold none', async () => {
    await volumes.record();
    const containers = await docker('ps', '-aq', '--filter', 'label=com.docker.compose.project=rel-canary');
    const labels = await docker('inspect', '--format', '{{json .Config.Labels}}', ...containers.split('\n'));
    const networks = await docker('network', 'ls', '-q', '--filter', 'label=com.docker.compose.project=rel-canary');
    const networkLabels = await docker('network', 'inspect', '--format', '{{json .Labels}}', ...networks.split('\n'));
    const volumeLabels = await docker('volume', 'inspect', '--format', '{{json .Labels}}', 'rel-canary_data');
    check('container labels', labels);
    check('network labels', networkLabels);
    check('volume labels', volumeLabels);
    expect(volumeLabels).toContain('com.docker.compose.volume');
    expect(labels).toContain('com.docker.compose.config-hash');
  });

  test('down -v must print none and leave nothing; no engine event while the test ran may have held one', async () => {
    const down = await run(['down', '-v', '-t', '0']);
    check('down -v', down.stdout, down.stderr);
    await downLeavesNothing(project, volumes);
    await new Promise((resolve) => setTimeout(resolve, 500));
    check('engine events', eventText);
    expect(eventText).toContain('rel-canary-app-1');
    expect(leaks).toEqual([]);
  });
});
