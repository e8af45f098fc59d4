/** The committed standalone validator must be the one the schema compiles to today. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('compiled schema', () => {
  test('src/validate/generated/compose-schema.ts must be up to date with schemas/compose-spec.json', () => {
    const run = spawnSync(process.execPath, ['scripts/build-schema.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
