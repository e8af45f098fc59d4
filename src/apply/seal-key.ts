/**
 * The key that seals secret-bearing values in recorded configs (model/applied-config.ts): 32
 * random bytes in `<state directory>/seal-key`, readable by the user only, made on first use.
 *
 * Per user rather than per engine: reading a key from the engine would cost a call on every run,
 * and anyone who can call the engine can read the containers' environment anyway; what the key
 * keeps out is whoever only sees labels (event streams, `ps` output pasted into a CI log).
 * Where no key file can be kept (a read-only home), a key for this run only is used: values
 * recorded by it cannot be compared later, so causes then name fields, not changed values.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealKeyFromSecret, type SealKey } from '../model/applied-config.js';
import { stateDirectory } from './state-directory.js';

const KEY_FILE = 'seal-key';
const SECRET = /^[0-9a-f]{64}$/;

function readSecret(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return SECRET.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the key completely under a private name, then links it into place (atomic; the first writer wins). */
function createSecret(directory: string, path: string): string | undefined {
  const secret = randomBytes(32).toString('hex');
  const draft = join(directory, `${KEY_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(draft, `${secret}\n`, { mode: 0o600 });
    chmodSync(draft, 0o600);
    linkSync(draft, path);
    return secret;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSecret(path) : undefined;
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      // never written
    }
  }
}

export function loadSealKey(env: Readonly<Record<string, string | undefined>>): SealKey {
  const directory = stateDirectory(env);
  const path = join(directory, KEY_FILE);
  const secret = readSecret(path) ?? createSecret(directory, path) ?? randomBytes(32).toString('hex');
  return sealKeyFromSecret(secret);
}
