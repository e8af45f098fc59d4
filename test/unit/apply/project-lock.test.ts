/** The per-project lock on a real temporary directory (no engine involved). */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireProjectLock, lockDirectory, type LockOptions } from '../../../src/apply/project-lock.js';

let stateHome: string;

beforeEach(() => {
  stateHome = mkdtempSync(join(tmpdir(), 'tscompose-lock-'));
});

afterEach(() => {
  rmSync(stateHome, { recursive: true, force: true });
});

function lockOptions(extra: Partial<LockOptions> = {}): LockOptions {
  return { env: { XDG_STATE_HOME: stateHome }, engineUrl: 'unix:///var/run/docker.sock', project: 'p', command: 'up', pollMs: 10, ...extra };
}

describe('project lock', () => {
  test('a second run must wait until the first releases the lock', async () => {
    const first = await acquireProjectLock(lockOptions());
    let waitedFor: number | undefined;
    const second = acquireProjectLock(lockOptions({ onWait: (holder) => (waitedFor = holder?.pid) }));
    // Until it says it waits (however slowly a busy machine gets there); the test's timeout bounds it.
    while (waitedFor === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(waitedFor).toBe(process.pid);
    let acquired = false;
    void second.then(() => (acquired = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(acquired).toBe(false);
    first!.release();
    const lock = await second;
    expect(lock).toBeDefined();
    lock!.release();
    expect(existsSync(lock!.path)).toBe(false);
  });

  test('a lock left by a process that is gone must be taken over', async () => {
    const directory = lockDirectory({ XDG_STATE_HOME: stateHome }, 'unix:///var/run/docker.sock');
    mkdirSync(directory, { recursive: true });
    // A pid far above any the kernel hands out: certainly not running.
    const stale = { pid: 2 ** 30, host: hostname(), command: 'up', since: 0, token: 'stale' };
    writeFileSync(join(directory, 'p.lock'), JSON.stringify(stale));
    let waited = false;
    const lock = await acquireProjectLock(lockOptions({ onWait: () => (waited = true) }));
    expect(waited).toBe(false);
    expect(JSON.parse(readFileSync(lock!.path, 'utf8')).pid).toBe(process.pid);
    lock!.release();
  });

  test('locks of different engines must not wait on each other', async () => {
    const first = await acquireProjectLock(lockOptions());
    const other = await acquireProjectLock(lockOptions({ engineUrl: 'tcp://10.0.0.5:2376', onWait: () => {
      throw new Error('must not wait');
    } }));
    expect(other!.path).not.toBe(first!.path);
    first!.release();
    other!.release();
  });

  test('an aborted wait must end with the abort reason', async () => {
    const first = await acquireProjectLock(lockOptions());
    const controller = new AbortController();
    const second = acquireProjectLock(lockOptions({ signal: controller.signal }));
    controller.abort(new Error('canceled'));
    await expect(second).rejects.toThrow('canceled');
    first!.release();
  });

  test('a state directory that cannot be written must give no lock and say why', async () => {
    writeFileSync(join(stateHome, 'tscompose'), 'not a directory');
    let reason = '';
    const lock = await acquireProjectLock(lockOptions(), (message) => (reason = message));
    expect(lock).toBeUndefined();
    expect(reason).toMatch(/cannot create the project lock/);
  });
});
