/**
 * Every case under test/fixtures/invalid/<case>/ (compose.yaml, maybe compose.override.yaml and
 * .env) must report exactly the problems in its expected.json: the message (a substring), the
 * dotted path, the file, line and column, and the hint when one is given.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../../src/errors.js';
import { validate } from '../../../src/validate/index.js';
import { loadCase } from './support/load-case.js';

interface ExpectedProblem {
  readonly message: string;
  readonly path: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly hint?: string;
}

interface ExpectedCase {
  readonly profiles?: readonly string[];
  readonly problems: readonly ExpectedProblem[];
}

const root = fileURLToPath(new URL('../../fixtures/invalid/', import.meta.url));
const cases = readdirSync(root).sort();

/** The actual problem in the expected shape: substrings that match are shown as expected. */
function comparable(actual: Problem, expected: ExpectedProblem | undefined): ExpectedProblem {
  const contains = (text: string | undefined, part: string | undefined): boolean =>
    text !== undefined && part !== undefined && text.includes(part);
  return {
    message: contains(actual.message, expected?.message) ? expected!.message : actual.message,
    path: actual.path,
    file: actual.location ? basename(actual.location.file) : '(none)',
    line: actual.location?.line ?? 0,
    col: actual.location?.col ?? 0,
    ...(expected?.hint !== undefined
      ? { hint: contains(actual.hint, expected.hint) ? expected.hint : (actual.hint ?? '(no hint)') }
      : {}),
  };
}

describe('bad-input corpus', () => {
  test('the corpus must hold at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('%s must report its problems at their positions', async (name) => {
    const dir = join(root, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedCase;
    expect(expected.problems.length).toBeGreaterThan(0);
    const problems = validate(await loadCase(dir, expected.profiles));
    expect(problems.map((problem, index) => comparable(problem, expected.problems[index]))).toEqual(expected.problems);
  });
});
