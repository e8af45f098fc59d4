/**
 * `tscompose config` against Docker Compose 2.26's own output on the fixture corpus
 * (test/fixtures/config, regenerated with scripts/regenerate-goldens.sh): the JSON must be
 * semantically equal, the YAML identical, listings the same lines, and every warning the
 * reference printed must be printed too.
 */
import { corpusCases, expected, runConfig } from './corpus.js';

const cases = corpusCases();

test('the corpus must hold at least 40 cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
});

describe.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
  const json = expected(testCase, 'expected.json');
  const yaml = expected(testCase, 'expected.yaml');
  const listing = expected(testCase, 'expected.txt');
  const warnings = expected(testCase, 'expected.warnings');

  if (json !== undefined) {
    test('config --format json must equal the reference semantically', async () => {
      const { stdout } = await runConfig(testCase, 'json');
      expect(JSON.parse(stdout)).toEqual(JSON.parse(json));
    });
  }

  if (yaml !== undefined) {
    test('config --format yaml must equal the reference text', async () => {
      const { stdout } = await runConfig(testCase, 'yaml');
      expect(stdout.trimEnd()).toBe(yaml.trimEnd());
    });
  }

  if (listing !== undefined) {
    test('the listing must hold the reference lines', async () => {
      const { stdout } = await runConfig(testCase, undefined);
      expect(stdout.split('\n').filter(Boolean).sort()).toEqual(listing.split('\n').filter(Boolean).sort());
    });
  }

  test(warnings === undefined ? 'no warning must be printed' : 'the reference warnings must be printed', async () => {
    const { warnings: printed } = await runConfig(testCase, json === undefined ? undefined : 'json');
    const wanted = (warnings ?? '').split('\n').filter(Boolean);
    if (wanted.length === 0) expect(printed).toEqual([]);
    else for (const line of wanted) expect(printed).toContain(line);
  });
});
