/**
 * A command Context for unit tests of commands against the in-memory engine: a temporary project
 * directory with the given files, a private state directory (locks, seal key), captured stdout,
 * stderr and warnings, no colour, `--progress quiet` unless asked, and signals the test can fire.
 * `cleanup()` removes the directories.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Context, GlobalOptions } from '../../src/context.js';
import type { UpOptions } from '../../src/commands/up.js';
// The session imports these two at once, lazily; Jest's ESM loader fails such parallel first
// imports of modules that share a dependency ("request for 'node:os' is not in cache").
import '../../src/apply/project-lock.js';
import '../../src/apply/seal-key.js';
import { FakeEngine } from './fake-engine.js';

export interface FakeContext extends Context {
  readonly engine: FakeEngine;
  readonly output: { readonly stdout: () => string; readonly stderr: () => string; readonly warnings: string[] };
  /** Fires the first Ctrl-C (graceful), then the second (force). */
  interrupt(): void;
  /** The same project with other global options (a second command in the same directory and engine). */
  with(options: Partial<GlobalOptions>): FakeContext;
  cleanup(): void;
}

function capture(): { stream: PassThrough; text: () => string } {
  let text = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

/** `files`: relative path -> text, written into a fresh project directory. */
export function fakeContext(files: Record<string, string>, options: Partial<GlobalOptions> = {}, engine = new FakeEngine()): FakeContext {
  const root = mkdtempSync(join(tmpdir(), 'tscompose-fake-'));
  const cwd = join(root, 'app');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), text);
  }
  mkdirSync(cwd, { recursive: true });
  return contextIn(root, cwd, engine, options);
}

function contextIn(root: string, cwd: string, engine: FakeEngine, options: Partial<GlobalOptions>): FakeContext {
  const stdout = capture();
  const stderr = capture();
  const warnings: string[] = [];
  const graceful = new AbortController();
  const force = new AbortController();
  const globals: GlobalOptions = { files: [], profiles: [], envFiles: [], progress: 'quiet', ansi: 'never', dryRun: false, ...options };
  return {
    cwd,
    env: { XDG_STATE_HOME: join(root, 'state'), HOME: root },
    stdin: Readable.from([]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal: graceful.signal,
    forceSignal: force.signal,
    now: () => Date.now(),
    options: globals,
    color: false,
    stderrColor: false,
    warn: (message) => void warnings.push(message),
    connectEngine: async () => ({ engine, url: 'fake://engine' }),
    engine,
    output: { stdout: stdout.text, stderr: stderr.text, warnings },
    interrupt: () => (graceful.signal.aborted ? force.abort() : graceful.abort()),
    with: (more) => contextIn(root, cwd, engine, { ...globals, ...more }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `up -d`'s options with every flag at its default, and the given ones changed. */
export function detachedUp(overrides: Partial<UpOptions> = {}): UpOptions {
  return {
    detach: true,
    build: false,
    noBuild: false,
    quietPull: false,
    scale: [],
    forceRecreate: false,
    noRecreate: false,
    alwaysRecreateDeps: false,
    renewAnonVolumes: false,
    noStart: false,
    noDeps: false,
    wait: false,
    abortOnContainerExit: false,
    abortOnContainerFailure: false,
    attach: [],
    noAttach: [],
    attachDependencies: false,
    noColor: false,
    noLogPrefix: false,
    timestamps: false,
    ...overrides,
  };
}
