/**
 * `tscompose config` against Docker Compose 2.26's own output on the fixture corpus
 * (test/fixtures/config, regenerated with scripts/regenerate-goldens.sh): the JSON must be
 * semantically equal, the YAML identical, listings the same lines, and every warning the
 * reference printed must be printed too. Warnings tscompose gives where Compose is silent (a
 * `name:` it normalises, a privileged service) are listed in the case's `extra.warnings`, written
 * by hand (the regenerate script only replaces `expected.*`); no other warning may appear.
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
  const extraWarnings = expected(testCase, 'extra.warnings');

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

  const title = warnings === undefined && extraWarnings === undefined ? 'no warning must be printed' : 'the expected warnings must be printed';
  test(title, async () => {
    const { warnings: printed } = await runConfig(testCase, json === undefined ? undefined : 'json');
    const wanted = (warnings ?? '').split('\n').filter(Boolean);
    const extra = (extraWarnings ?? '').split('\n').filter(Boolean);
    // The reference's own lines may come in another order or twice; tscompose's come as listed.
    if (wanted.length === 0) expect(printed).toEqual(extra);
    else for (const line of [...wanted, ...extra]) expect(printed).toContain(line);
  });
});
