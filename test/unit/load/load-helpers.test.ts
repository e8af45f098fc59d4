/**
 * The loader's test helpers must not litter the temporary directory: every run of the unit tests
 * used to leave about a hundred `tscompose-load-*` directories behind.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadIn, project } from './load-helpers.js';

const made: string[] = [];

// Declared after the helpers' own afterAll (registered when they were imported), so it runs after it.
afterAll(() => {
  expect(made.filter((dir) => existsSync(path.dirname(dir)))).toEqual([]);
});

test('a project directory made by the helpers must be removed once the file\'s tests are done', async () => {
  const dir = project({ 'compose.yaml': 'services: {web: {image: busybox}}\n' });
  made.push(dir);
  expect((await loadIn(dir)).tree.services).toEqual({ web: { image: 'busybox' } });
});
