/**
 * Ctrl-C during an attached `up` (reliability P9, T9): at any moment (while creating, while waiting
 * for a healthy dependency, while attached, during an image build) the run exits 130 with
 * `canceled` and no crash output; the services it targeted are stopped, never removed; the
 * dependencies the user did not name keep running; and a second Ctrl-C kills what ignores SIGTERM
 * at once instead of after its grace period.
 */
import { jest } from '@jest/globals';
import { CliRun, CRASH, type Finished } from './attached-support.js';
import { removeProject } from './engine-support.js';
import { containersOf, fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(90_000);

const project = new TestProject('tsca-intr', fixture('attached-interrupt'));
const building = new TestProject('tsca-intr-build', fixture('attached-interrupt-build'));

beforeAll(async () => {
  await Promise.all([project.cleanup(), building.cleanup()]);
});

afterAll(async () => {
  await Promise.all([project.cleanup(), building.cleanup()]);
});

type Moment = 'creating' | 'waiting for db' | 'attached' | 'at a random time';

/** `up web` from nothing, with SIGINT sent at `moment`. */
async function upWebInterrupted(moment: Moment): Promise<Finished> {
  await removeProject(project.name);
  const run = new CliRun(project, ['up', 'web']);
  if (moment === 'creating') await run.waitFor('stderr', ' Container tsca-intr-db-1  Creating');
  if (moment === 'waiting for db') await run.waitFor('stderr', ' Container tsca-intr-db-1  Waiting');
  if (moment === 'attached') await run.waitFor('stdout', 'web-1  | web-tick 2\n');
  // From its first output on: earlier, Node may not even have loaded the CLI (for seconds on a busy
  // machine), so its default handler would end the process.
  if (moment === 'at a random time') {
    await run.waitFor('stderr', /./);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2500));
  }
  run.interrupt();
  return run.finished;
}

async function states(): Promise<Record<string, string>> {
  return Object.fromEntries((await containersOf(project.name)).map((container) => [container.service, container.status]));
}

function expectCancelled(result: Finished): void {
  expect({ code: result.code, last: result.stderr.trimEnd().split('\n').at(-1), crash: CRASH.test(result.stderr) }).toEqual({
    code: 130,
    last: 'canceled',
    crash: false,
  });
}

describe('P9: Ctrl-C during attached up (T9)', () => {
  const rounds: [Moment, number][] = [];
  for (const round of [1, 2]) for (const moment of ['creating', 'waiting for db', 'attached'] as const) rounds.push([moment, round]);
  for (const round of [1, 2, 3]) rounds.push(['at a random time', round]);

  test.each(rounds)('SIGINT while %s (round %d) must exit 130 cleanly, leave web not running and db never stopped', async (moment) => {
    const result = await upWebInterrupted(moment);
    expectCancelled(result);
    const after = await states();
    expect(after.web ?? 'absent').not.toBe('running');
    // The dependency web's run started (or not yet): Ctrl-C must not have stopped it.
    expect(after.db ?? 'absent').not.toBe('exited');
    if (moment === 'waiting for db') expect(after).toEqual({ db: 'running', web: 'created' });
    if (moment === 'attached') {
      expect(after).toEqual({ db: 'running', web: 'exited' });
      expect(result.stderr).toContain('Gracefully stopping... (press Ctrl+C again to force)\n Container tsca-intr-web-1  Stopping\n');
      expect(result.stderr).not.toContain('tsca-intr-db-1  Stopping');
    }
  });

  test('the next up must converge from the state an interrupted attached up left', async () => {
    expectCancelled(await upWebInterrupted('waiting for db'));
    const before = await containersOf(project.name);
    await project.ok(['up', '-d', 'web']);
    const after = await containersOf(project.name);
    expect(after.map((container) => `${container.service} ${container.status}`)).toEqual(['db running', 'web running']);
    expect(after.map((container) => container.id)).toEqual(before.map((container) => container.id));
  });

  test('a second SIGINT must kill a container that ignores SIGTERM long before its grace period', async () => {
    const run = new CliRun(project, ['up', 'stubborn']);
    await run.waitFor('stdout', 'stubborn-1  | stubborn-started\n');
    run.interrupt();
    const firstSignal = Date.now();
    await run.waitFor('stderr', ' Container tsca-intr-stubborn-1  Stopping');
    await new Promise((resolve) => setTimeout(resolve, 500));
    run.interrupt();
    const result = await run.finished;
    expectCancelled(result);
    // Its grace period is 60 s: only the kill ends it this soon, even on a busy machine.
    expect(Date.now() - firstSignal).toBeLessThan(30_000);
    expect(result.stderr).toContain(' Container tsca-intr-stubborn-1  Killed');
    const stubborn = (await containersOf(project.name)).find((container) => container.service === 'stubborn');
    expect(stubborn).toMatchObject({ status: 'exited', exitCode: 137 });
  });

  test('SIGINT during an image build must end the build at once and exit 130 cleanly', async () => {
    const run = new CliRun(building, ['up']);
    await run.waitFor('stderr', 'Building');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.interrupt();
    const interruptedAt = Date.now();
    const result = await run.finished;
    expectCancelled(result);
    // The build's one step sleeps 120 s: only ending the build ends the run this soon.
    expect(Date.now() - interruptedAt).toBeLessThan(30_000);
    expect(await containersOf(building.name)).toEqual([]);
  });
});
