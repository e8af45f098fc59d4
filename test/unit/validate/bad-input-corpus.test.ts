/**
 * Every case under test/fixtures/invalid/<case>/ must report exactly the problems in its
 * expected.json: the message (a substring; `__CASE_DIR__` stands for the case's directory), the
 * dotted path, the file (relative to the case), line and column, and the hint when one is given.
 * A problem without a position is expected with file "(none)", line 0 and col 0.
 *
 * A case runs as `tscompose config` would in its directory: the loader (discovery, .env,
 * interpolation, merges, include, extends) and then validation. So a case may fail while
 * loading (a YAML syntax error, an include cycle, a missing env_file, a bad project name) as
 * well as in validation. expected.json may give, besides `problems`:
 *   profiles     --profile values
 *   files        -f values (relative to the case)
 *   projectName  -p
 *   env          the shell environment (default: empty, so only the case's .env counts)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectProblems } from '../../../src/api/load-project.js';
import { ConfigError, type Problem } from '../../../src/errors.js';
import { loadCase, type CaseOptions } from './support/load-case.js';

interface ExpectedProblem {
  readonly message: string;
  readonly path: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly hint?: string;
}

interface ExpectedCase extends CaseOptions {
  readonly problems: readonly ExpectedProblem[];
}

const root = fileURLToPath(new URL('../../fixtures/invalid/', import.meta.url));
const cases = readdirSync(root).sort();

/** The actual problem in the expected shape: substrings that match are shown as expected. */
function comparable(actual: Problem, expected: ExpectedProblem | undefined, dir: string): ExpectedProblem {
  const wanted = (text: string | undefined): string | undefined => text?.replaceAll('__CASE_DIR__', dir);
  const contains = (text: string | undefined, part: string | undefined): boolean =>
    text !== undefined && part !== undefined && text.includes(part);
  return {
    message: contains(actual.message, wanted(expected?.message)) ? expected!.message : actual.message,
    path: actual.path,
    file: actual.location ? relative(dir, actual.location.file) : '(none)',
    line: actual.location?.line ?? 0,
    col: actual.location?.col ?? 0,
    ...(expected?.hint !== undefined
      ? { hint: contains(actual.hint, wanted(expected.hint)) ? expected.hint : (actual.hint ?? '(no hint)') }
      : {}),
  };
}

/** The problems `tscompose config` would report: the loader's when it fails, else the project's. */
async function problemsOf(dir: string, options: CaseOptions): Promise<readonly Problem[]> {
  try {
    return projectProblems(await loadCase(dir, options));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('bad-input corpus', () => {
  test('the corpus must hold at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('%s must report its problems at their positions', async (name) => {
    const dir = join(root, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedCase;
    expect(expected.problems.length).toBeGreaterThan(0);
    const problems = await problemsOf(dir, expected);
    expect(problems.map((problem, index) => comparable(problem, expected.problems[index], dir))).toEqual(expected.problems);
  });
});
