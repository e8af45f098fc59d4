/**
 * Docker Compose's config hash (com.docker.compose.config-hash) on the golden corpus: for every case
 * with an `expected.hash` (Compose 2.26's `config --hash '*'`, stored by
 * scripts/regenerate-goldens.sh), `tscompose config --hash '*'` must print the same hash for every
 * service. This is what lets a container made by one tool be kept by the other (the e2e test
 * test/e2e/compat-switching.test.ts checks it on real containers).
 * Cases whose hash depends on where the corpus lies (absolute bind sources) have no expected.hash;
 * the e2e test covers those paths on real containers.
 */
import { corpusCases, expected, runConfig } from './corpus.js';

const cases = corpusCases().filter((testCase) => expected(testCase, 'expected.hash') !== undefined);

test('the hash corpus must hold at least 40 cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
});

test.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s: config --hash must equal the reference', async (_name, testCase) => {
  const { stdout } = await runConfig(testCase, undefined, { hash: '*' });
  const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();
  expect(lines(stdout)).toEqual(lines(expected(testCase, 'expected.hash')!));
});
