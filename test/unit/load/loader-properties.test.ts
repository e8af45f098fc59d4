/**
 * Hostile input, property-based (fast-check): random compose-like documents, random text, and
 * mutations of real files (the examples and the golden corpus) must give either a project or a
 * ConfigError whose problems carry positions, never a crash (a TypeError, a stack overflow, any
 * other exception), each within 2 s of CPU time and 200 MB. Runs per property: FAST_CHECK_RUNS
 * (default 200); a failure prints the seed and the shrunk document to replay it.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { projectProblems } from '../../../src/api/load-project.js';
import { ConfigError, TscomposeError } from '../../../src/errors.js';
import { toProject } from '../../../src/model/index.js';
import { cpuTimeOf } from '../../support/cpu-time.js';
import { loadIn, project } from './load-helpers.js';

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 200);
/** CPU time, not wall time: other processes on a busy machine stretch the one, not the other. */
const CPU_TIME_BUDGET_MS = 2000;
const MEMORY_BUDGET_BYTES = 200 * 1024 * 1024;
const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** The compose files of the examples and of the golden corpus: real shapes to mutate. */
const corpus: string[] = [
  ...readdirSync(path.join(repo, 'examples')).map((name) => path.join(repo, 'examples', name, 'compose.yaml')),
  ...readdirSync(path.join(repo, 'test/fixtures/config')).map((name) => path.join(repo, 'test/fixtures/config', name, 'compose.yaml')),
]
  .filter((file) => existsSync(file))
  .map((file) => readFileSync(file, 'utf8'));

type Outcome = 'project' | 'problems';

/** Loads the project in `dir`, validates and models it; fails the property on a crash. */
async function judge(dir: string): Promise<Outcome> {
  try {
    const loaded = await loadIn(dir);
    const problems = projectProblems(loaded);
    if (problems.length > 0) throw new ConfigError(problems, loaded.sources);
    toProject(loaded);
    return 'project';
  } catch (error) {
    if (!(error instanceof TscomposeError)) throw new Error(`crash: ${(error as Error)?.stack ?? String(error)}`);
    if (error instanceof ConfigError) {
      // Every problem says where: a position, or at least the path of the value.
      for (const problem of error.problems) {
        if (problem.location === undefined && problem.path === '') throw new Error(`a problem without a position or path: ${problem.message}`);
      }
      if (!error.problems.some((problem) => problem.location !== undefined)) throw new Error(`no problem has a position: ${error.message}`);
    }
    return 'problems';
  }
}

/** Loads `text` as compose.yaml, validates and models it; fails the property on a crash or a broken budget. */
async function outcomeOf(text: string): Promise<Outcome> {
  const dir = project({ 'compose.yaml': text });
  const heapBefore = process.memoryUsage().heapUsed;
  const { result: outcome, cpuMs } = await cpuTimeOf(() => judge(dir));
  if (cpuMs > CPU_TIME_BUDGET_MS) throw new Error(`took ${Math.round(cpuMs)} ms of CPU time`);
  const grown = process.memoryUsage().heapUsed - heapBefore;
  if (grown > MEMORY_BUDGET_BYTES) throw new Error(`grew the heap by ${Math.round(grown / 1e6)} MB`);
  return outcome;
}

const SERVICE_KEYS = ['image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'depends_on', 'networks', 'healthcheck',
  'restart', 'deploy', 'secrets', 'configs', 'labels', 'profiles', 'extends', 'scale', 'container_name', 'network_mode', 'user', 'develop', 'x-any'];
const TOP_KEYS = ['services', 'networks', 'volumes', 'secrets', 'configs', 'name', 'include', 'version', 'x-ext'];

/** Values of every YAML kind, small and nested. */
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e309, '', '${X}', '${X:?missing}', '$$', '80:80', '/data', 'service:db', 'a'.repeat(300)),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...SERVICE_KEYS)), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const service = fc.dictionary(fc.constantFrom(...SERVICE_KEYS), value, { maxKeys: 6 });
const document = fc.record(
  {
    services: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), fc.oneof(service, value), { maxKeys: 4 }),
    extra: fc.dictionary(fc.constantFrom(...TOP_KEYS), value, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

/** One edit of a YAML text: delete, insert YAML's special characters, duplicate or swap lines. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.stringMatching(/^[-:{}[\]&*!|>'"#%@`,?\t \n$a-z0-9]{1,6}$/) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), other: fc.nat() }),
);

interface Edit {
  readonly kind: 'delete' | 'insert' | 'duplicate-line' | 'swap-lines';
  readonly at: number;
  readonly length?: number;
  readonly text?: string;
  readonly other?: number;
}

function applyEdit(text: string, change: Edit): string {
  if (text.length === 0) return change.text ?? text;
  const at = change.at % text.length;
  switch (change.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + (change.length ?? 1));
    case 'insert':
      return text.slice(0, at) + (change.text ?? '') + text.slice(at);
    case 'duplicate-line': {
      const lines = text.split('\n');
      const line = change.at % lines.length;
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    }
    default: {
      const lines = text.split('\n');
      const a = change.at % lines.length;
      const b = (change.other ?? 0) % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

const mutated = fc
  .tuple(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 5 }))
  .map(([text, edits]) => edits.reduce((current, change) => applyEdit(current, change), text));

describe('the loader on hostile input (property-based)', () => {
  test('the corpus to mutate must hold the examples and the golden files', () => {
    expect(corpus.length).toBeGreaterThan(50);
  });

  test('random compose-like documents must give a project or positioned problems, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(document, async ({ services, extra }) => {
        await outcomeOf(stringify({ ...(extra ?? {}), ...(services === undefined ? {} : { services }) }));
      }),
      { numRuns: RUNS },
    );
  });

  test('mutations of the examples and the golden corpus must give a project or positioned problems, never a crash', async () => {
    const outcomes = new Set<Outcome>();
    await fc.assert(
      fc.asyncProperty(mutated, async (text) => {
        outcomes.add(await outcomeOf(text));
      }),
      { numRuns: RUNS },
    );
    // Both kinds of answer must come up: a property that only ever fails to load proves little.
    expect([...outcomes].sort()).toEqual(['problems', 'project']);
  });

  test('random text must give a project or positioned problems, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (text) => {
        await outcomeOf(text);
      }),
      { numRuns: RUNS },
    );
  });
});
