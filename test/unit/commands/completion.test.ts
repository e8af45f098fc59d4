/**
 * Completion candidates from the program's own command tree and the project's compose files
 * (the shells themselves are driven in test/e2e/completion-shells.test.ts).
 */
import { Command } from 'commander';
import path from 'node:path';
import { buildProgram } from '../../../src/cli.js';
import { answer, splitLine } from '../../../src/commands/completion/answer.js';
import { complete } from '../../../src/commands/completion/candidates.js';
import { serviceNames } from '../../../src/commands/completion/service-names.js';
import { repoRoot } from '../../support/run-cli.js';

const fixture = path.join(repoRoot, 'test', 'fixtures', 'completion');
const environment = { cwd: fixture, env: {} };

/** What bash would be offered after typing `line`. */
async function bash(line: string, program: Command = buildProgram()): Promise<string[]> {
  return (await answer(program, 'bash', [line], environment)).trimEnd().split('\n');
}

describe('completion candidates', () => {
  test('commands must be completed from the command tree, hidden ones left out', async () => {
    const [directive, ...commands] = await bash('tscompose ');
    expect(directive).toBe('words');
    expect(commands).toEqual(expect.arrayContaining(['up', 'down', 'ps', 'logs', 'config', 'completion', 'watch']));
    expect(commands).not.toContain('__complete');
    expect(await bash('tscompose lo')).toEqual(['words', 'logs']);
  });

  test('a command registered later must be completed without being listed anywhere', async () => {
    const program = buildProgram();
    program.command('frobnicate').description('added by another part of the program').option('--level <level>', 'how much');
    expect(await bash('tscompose fro', program)).toEqual(['words', 'frobnicate']);
    expect(await bash('tscompose frobnicate --l', program)).toEqual(['words', '--level']);
  });

  test('flags must be completed for the command typed, global ones before it', async () => {
    expect(await bash('tscompose up --remove-o')).toEqual(['words', '--remove-orphans']);
    expect(await bash('tscompose --progr')).toEqual(['words', '--progress']);
    expect(await bash('tscompose up --progr')).toEqual(['words']);
  });

  test('flag values must come from the flag\'s choices, also after =, relative to the last word break', async () => {
    expect(await bash('tscompose --progress ')).toEqual(['words', 'auto', 'tty', 'plain', 'quiet', 'json']);
    expect(await bash('tscompose --ansi=n')).toEqual(['words', 'never']);
    expect(await bash('tscompose completion ')).toEqual(['words', 'bash', 'zsh', 'fish']);
    expect(await bash('tscompose ps --format ')).toEqual(['words', 'table', 'json']);
  });

  test('service names must be read from the compose files: profiles and includes too', async () => {
    expect(await bash('tscompose up ')).toEqual(['words', 'cache', 'db', 'debug', 'web']);
    expect(await bash('tscompose logs -f d')).toEqual(['words', 'db', 'debug']);
    expect(await bash('tscompose up --attach w')).toEqual(['words', 'web']);
    expect(await bash('tscompose up db ')).toEqual(['words', 'cache', 'db', 'debug', 'web']);
  });

  test('-f on the line must decide which files the names come from', async () => {
    expect(await bash('tscompose -f other.yaml stop ')).toEqual(['words', 'worker']);
    expect(await bash('tscompose --file=other.yaml stop ')).toEqual(['words', 'worker']);
  });

  test('--scale must offer SERVICE= and ask for no space after it', async () => {
    expect(await bash('tscompose up --scale w')).toEqual(['words nospace', 'web=']);
  });

  test('file and directory values must be left to the shell', async () => {
    expect(await bash('tscompose -f ')).toEqual(['files']);
    expect(await bash('tscompose --env-file ')).toEqual(['files']);
    expect(await bash('tscompose --project-directory ')).toEqual(['dirs']);
  });

  test('zsh must get descriptions and escaped colons, fish tab-separated descriptions', async () => {
    const zsh = (await answer(buildProgram(), 'zsh', ['tscompose', 'up', '--remove-orph'], environment)).split('\n');
    expect(zsh).toContain('--remove-orphans:remove containers for services not defined in the compose file');
    const fish = (await answer(buildProgram(), 'fish', ['tscompose', ''], environment)).split('\n');
    expect(fish).toContain('down\tstop and remove containers, networks (and with -v volumes, with --rmi images)');
  });

  test('a word under the cursor must be found as the shell splits the line', async () => {
    expect(splitLine('tscompose up "my service" ')).toEqual(['tscompose', 'up', 'my service', '']);
    expect(splitLine("tscompose -f 'a b.yaml' u")).toEqual(['tscompose', '-f', 'a b.yaml', 'u']);
  });

  test('a project whose files cannot be read must complete no service, not fail; names are read only for a service', async () => {
    expect(serviceNames({ cwd: fixture, env: {}, files: ['missing.yaml'] })).toEqual([]);
    expect(complete(buildProgram(), ['up'], '').kind).toBe('services');
  });
});
