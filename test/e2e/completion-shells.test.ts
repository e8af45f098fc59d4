/**
 * `tscompose completion bash|zsh|fish` run in the real shells (scripts/ensure-shells.sh installs zsh
 * and fish): each script must register itself and hand back what the program completes. A
 * `tscompose` on PATH runs the built CLI, as an installed one would.
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cliPath, repoRoot } from '../support/run-cli.js';

// Each completion starts a shell and the CLI, some twice: seconds each on a busy machine.
jest.setTimeout(60_000);

const run = promisify(execFile);
const fixture = path.join(repoRoot, 'test', 'fixtures', 'completion');
let bin: string;

beforeAll(() => {
  bin = mkdtempSync(path.join(tmpdir(), 'ux-completion-'));
  const wrapper = path.join(bin, 'tscompose');
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(wrapper, 0o755);
});

afterAll(() => rmSync(bin, { recursive: true, force: true }));

async function shell(program: string, args: readonly string[], script: string): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: bin };
  for (const key of Object.keys(env)) if (key.startsWith('COMPOSE_')) delete env[key];
  const { stdout } = await run(program, [...args, script], { cwd: fixture, env, timeout: 30_000 });
  return stdout;
}

describe('bash', () => {
  /** Sets COMP_* as bash's completion does for `line` and prints COMPREPLY, one word per line. */
  const bashComplete = (line: string): Promise<string> =>
    shell(
      'bash',
      ['--norc', '--noprofile', '-c'],
      `source <(tscompose completion bash)
COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
read -ra COMP_WORDS <<< "$COMP_LINE"; [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
__tscompose_complete tscompose "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`,
    );

  test('the script must register a completion function for tscompose', async () => {
    expect(await shell('bash', ['--norc', '--noprofile', '-c'], 'source <(tscompose completion bash); complete -p tscompose')).toBe(
      'complete -F __tscompose_complete tscompose\n',
    );
  });

  test('commands, flags, flag values and service names must be completed', async () => {
    expect(await bashComplete('tscompose res')).toBe('restart\n');
    expect(await bashComplete('tscompose up --remove-o')).toBe('--remove-orphans\n');
    expect(await bashComplete('tscompose --progress pl')).toBe('plain\n');
    expect(await bashComplete('tscompose up ')).toBe('cache\ndb\ndebug\nweb\n');
  });

  test('a value after = must replace only the text after it, as readline does', async () => {
    expect(await bashComplete('tscompose --ansi=al')).toBe('always\n');
  });
});

describe('zsh', () => {
  test('the script must register with compinit and give _describe the candidates with descriptions', async () => {
    const output = await shell(
      'zsh',
      ['-f', '-c'],
      `autoload -Uz compinit && compinit -u -D
source <(tscompose completion zsh)
print -r -- "registered: $_comps[tscompose]"
_describe() { print -rl -- "\${(@P)4}" "options: \${(j: :)@[5,-1]}" }
_files() { print -r -- "_files $*" }
words=(tscompose up --scale w); CURRENT=4; __tscompose_complete
words=(tscompose up --remove-o); CURRENT=3; __tscompose_complete
words=(tscompose -f ''); CURRENT=3; __tscompose_complete`,
    );
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toBe('registered: __tscompose_complete');
    // --scale: every service with `=`, no space after it.
    expect(lines.slice(1, 6)).toEqual(['cache=', 'db=', 'debug=', 'web=', 'options: -S ']);
    expect(lines).toContain('--remove-orphans:remove containers for services not defined in the compose file');
    expect(lines[lines.length - 1]).toBe('_files');
  });
});

describe('fish', () => {
  const fishComplete = (line: string): Promise<string> =>
    shell('fish', ['--no-config', '-c'], `tscompose completion fish | source; complete -C ${JSON.stringify(line)}`);

  test('commands with their descriptions, flags and service names must be completed', async () => {
    expect(await fishComplete('tscompose resta')).toBe('restart\trestart containers (configuration changes are applied by up, not by restart)\n');
    expect(await fishComplete('tscompose up --remove-o')).toBe('--remove-orphans\tremove containers for services not defined in the compose file\n');
    expect((await fishComplete('tscompose logs ')).split('\n').filter(Boolean)).toEqual(['cache', 'db', 'debug', 'web']);
  });

  test('a file value must be completed with the files there', async () => {
    expect((await fishComplete('tscompose -f oth')).trim()).toBe('other.yaml');
  });
});
