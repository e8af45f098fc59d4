/**
 * scripts/ensure-swarm.sh joins swarm mode for the stack tests only when the engine is in none,
 * and leaves only the swarm it made, once no test run holds it. `docker` is a stub whose swarm
 * state lives in a file, so each decision is checked without touching the machine's engine.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptSandbox } from './script-sandbox.js';

// Each test runs the script (given up to 10 s each, see runWith) a few times.
jest.setTimeout(60_000);

const TOOLS = ['dirname', 'mkdir', 'flock', 'cat', 'awk', 'rm', 'basename'];

let sandbox: ScriptSandbox;
let state: string;
let env: Record<string, string>;
const holders: ChildProcess[] = [];

/** docker as an engine whose swarm state is `inactive` or `active <node id> <manager>` in a file. */
function dockerStub(initial: string): void {
  writeFileSync(state, initial);
  sandbox.stub(
    'docker',
    `read -r mode node manager <'${state}'
    case "$1 $2" in
      "info --format")
        case "$3" in
          *LocalNodeState*) echo "$mode" ;;
          *NodeID*) echo "$node" ;;
          *ControlAvailable*) echo "$manager" ;;
        esac ;;
      "swarm init") echo "active made-by-script true" >'${state}' ;;
      "swarm leave") echo inactive >'${state}' ;;
      *) exit 1 ;;
    esac`,
  );
}

/** A live process to hold the swarm with (a test run's PID). */
function liveHolder(): string {
  const child = spawn('sleep', ['60']);
  holders.push(child);
  return String(child.pid);
}

beforeEach(() => {
  sandbox = new ScriptSandbox(TOOLS);
  state = join(sandbox.dir, 'swarm-state');
  env = { TSCOMPOSE_SWARM_STATE: join(sandbox.dir, 'test-swarm') };
});

afterEach(() => {
  for (const child of holders.splice(0)) child.kill();
  sandbox.cleanup();
});

const swarmCalls = (): string[] => sandbox.calls().filter((call) => call.startsWith('docker swarm'));

describe('ensure-swarm.sh', () => {
  test('an engine in no swarm must be joined with 127.0.0.1 advertised, and left by the last run that holds it', async () => {
    dockerStub('inactive');
    const [first, second] = [liveHolder(), liveHolder()];
    expect((await runWith(['--hold', first])).code).toBe(0);
    expect((await runWith(['--hold', second])).code).toBe(0);
    expect(swarmCalls()).toEqual(['docker swarm init --advertise-addr 127.0.0.1']);
    await runWith(['--release', first]);
    expect(readFileSync(state, 'utf8').trim()).toBe('active made-by-script true');
    await runWith(['--release', second]);
    expect(swarmCalls()).toEqual(['docker swarm init --advertise-addr 127.0.0.1', 'docker swarm leave --force']);
  });

  test('a swarm joined for a user (the example, no --hold) must never be left by a test run', async () => {
    dockerStub('inactive');
    expect((await runWith([])).code).toBe(0);
    const holder = liveHolder();
    await runWith(['--hold', holder]);
    await runWith(['--release', holder]);
    expect(swarmCalls()).toEqual(['docker swarm init --advertise-addr 127.0.0.1']);
  });

  test('a swarm the engine was already in must never be left', async () => {
    dockerStub('active somebody-else true');
    const holder = liveHolder();
    expect((await runWith(['--hold', holder])).code).toBe(0);
    await runWith(['--release', holder]);
    expect(swarmCalls()).toEqual([]);
    expect(readFileSync(state, 'utf8').trim()).toBe('active somebody-else true');
  });

  test('a holder whose process is gone must not keep the swarm', async () => {
    dockerStub('inactive');
    const gone = liveHolder();
    const holder = liveHolder();
    await runWith(['--hold', gone]);
    await runWith(['--hold', holder]);
    holders[0].kill();
    await new Promise((resolve) => holders[0].once('exit', resolve));
    await runWith(['--release', holder]);
    expect(readFileSync(state, 'utf8').trim()).toBe('inactive');
  });

  test('a worker node must be refused: the stack tests need a manager', async () => {
    dockerStub('active some-node false');
    const result = await runWith(['--hold', liveHolder()]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('the engine is a worker of a swarm; the stack tests need a manager');
  });
});

function runWith(args: readonly string[]) {
  return sandbox.run('ensure-swarm.sh', env, 10_000, args);
}
