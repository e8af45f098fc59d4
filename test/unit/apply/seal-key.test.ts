/** The user's seal key on a real temporary directory. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSealKey } from '../../../src/apply/seal-key.js';

let stateHome: string;

beforeEach(() => {
  stateHome = mkdtempSync(join(tmpdir(), 'tscompose-seal-'));
});

afterEach(() => {
  rmSync(stateHome, { recursive: true, force: true });
});

describe('seal key', () => {
  test('the first run must create a key only its user can read, and later runs must reuse it', () => {
    const first = loadSealKey({ XDG_STATE_HOME: stateHome });
    const path = join(stateHome, 'tscompose', 'seal-key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.secret);
    expect(loadSealKey({ XDG_STATE_HOME: stateHome })).toEqual(first);
  });

  test('a state directory that cannot be made must still give a key, for this run only', () => {
    // A file where the directory should be: mkdir fails even for root.
    const blocked = join(stateHome, 'not-a-directory');
    writeFileSync(blocked, '');
    const first = loadSealKey({ XDG_STATE_HOME: blocked });
    const second = loadSealKey({ XDG_STATE_HOME: blocked });
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(second.secret).not.toBe(first.secret);
  });
});
