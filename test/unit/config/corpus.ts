/**
 * The `config` golden corpus: each directory of test/fixtures/config is one case, with the
 * reference's outputs stored by scripts/regenerate-goldens.sh. This module reads a case and runs
 * `tscompose config` on it in-process, with the same fixed environment the reference ran in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { configCommand, type ConfigOptions } from '../../../src/commands/config.js';
import type { Context, GlobalOptions } from '../../../src/context.js';

export const corpusDir = fileURLToPath(new URL('../../fixtures/config', import.meta.url)).replace(/\/$/, '');

/** The environment scripts/regenerate-goldens.sh gives the reference. */
const BASE_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/home/tester' };

export interface CorpusCase {
  readonly name: string;
  readonly dir: string;
  readonly global: string[];
  readonly command: string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly stdin?: string;
}

export function corpusCases(): CorpusCase[] {
  return fs
    .readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readCase(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function readCase(name: string): CorpusCase {
  const dir = path.join(corpusDir, name);
  const global: string[] = [];
  const command: string[] = [];
  const env: Record<string, string> = { ...BASE_ENV };
  let cwd = dir;
  let stdin: string | undefined;
  const argsFile = path.join(dir, 'args');
  if (fs.existsSync(argsFile)) {
    for (const line of fs.readFileSync(argsFile, 'utf8').split('\n')) {
      const match = /^(\w+):\s*(.*)$/.exec(line.trim());
      if (!match) continue;
      const [, key, value] = match;
      const words = value.split(/\s+/).filter((word) => word !== '');
      if (key === 'global') global.push(...words);
      else if (key === 'command') command.push(...words);
      else if (key === 'env') {
        const equals = value.indexOf('=');
        env[value.slice(0, equals)] = value.slice(equals + 1);
      } else if (key === 'cwd') cwd = path.join(dir, value);
      else if (key === 'stdin') stdin = fs.readFileSync(path.join(dir, value), 'utf8');
    }
  }
  return { name, dir, global, command, env, cwd, stdin };
}

/** A golden file of the case with its placeholders replaced by this machine's paths. */
export function expected(testCase: CorpusCase, file: string): string | undefined {
  const full = path.join(testCase.dir, file);
  if (!fs.existsSync(full)) return undefined;
  return fs.readFileSync(full, 'utf8').replaceAll('__CASE_DIR__', testCase.dir).replaceAll('__CORPUS_DIR__', corpusDir);
}

export interface ConfigRun {
  readonly stdout: string;
  readonly warnings: string[];
}

/** Runs `tscompose <global> config --format <format> <command>` for the case, in-process; `extra` adds options (`hash`). */
export async function runConfig(testCase: CorpusCase, format: 'json' | 'yaml' | undefined, extra: Partial<ConfigOptions> = {}): Promise<ConfigRun> {
  const options: Record<string, unknown> = { interpolate: true, ...extra };
  const services: string[] = [];
  for (const word of testCase.command) {
    if (word === '--no-interpolate') options.interpolate = false;
    else if (word === '-q' || word === '--quiet') options.quiet = true;
    else if (word.startsWith('--')) options[word.slice(2)] = true;
    else services.push(word);
  }
  if (format) options.format = format;

  const globals: { -readonly [K in keyof GlobalOptions]: GlobalOptions[K] } = {
    files: [],
    profiles: [],
    envFiles: [],
    progress: 'quiet',
    ansi: 'never',
    dryRun: false,
  };
  for (let i = 0; i < testCase.global.length; i += 2) {
    const [flag, value] = [testCase.global[i], testCase.global[i + 1]];
    if (flag === '-f') globals.files = [...globals.files, value];
    else if (flag === '-p') globals.projectName = value;
    else if (flag === '--project-directory') globals.projectDirectory = value;
    else if (flag === '--profile') globals.profiles = [...globals.profiles, value];
    else if (flag === '--env-file') globals.envFiles = [...globals.envFiles, value];
    else throw new Error(`${testCase.name}/args: unsupported global option ${flag}`);
  }

  let stdout = '';
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const warnings: string[] = [];
  const ctx: Context = {
    cwd: testCase.cwd,
    env: testCase.env,
    stdin: Readable.from(testCase.stdin === undefined ? [] : [testCase.stdin]),
    stdout: out,
    stderr: new PassThrough(),
    signal: new AbortController().signal,
    forceSignal: new AbortController().signal,
    now: () => 0,
    options: globals,
    color: false,
    stderrColor: false,
    warn: (message) => warnings.push(message),
    connectEngine: async () => {
      throw new Error('config must not connect to an engine');
    },
  };
  await configCommand(ctx, services, options as ConfigOptions);
  return { stdout, warnings };
}
