/**
 * Interruptions at random moments (P9, P10, F12): SIGINT, and separately SIGKILL, sent to `up -d`,
 * an attached `up`, `down` and `watch` at a random time into their run, each recreating or
 * removing two replicas. SIGINT must always end the run with exit code 130 and no crash output (a
 * signal that lands before Node has installed the handler ends the process by the signal, which
 * the shell also reports as 130); after every interruption the next `up -d` must converge: exactly
 * one container per replica, under its canonical name, running the new configuration (a replica a
 * killed `down` removed is not refilled, as in Compose: the next number takes its place). At the end
 * `down -v` must leave nothing labelled for the project. (Anonymous volumes are not counted here:
 * `down` without -v keeps them, as in Compose; the test removes every one it saw.)
 *
 * TSCOMPOSE_CHAOS_COUNT sets the number of interruptions (default 50); the kinds take turns.
 */
import { jest } from '@jest/globals';
import { CliRun, CRASH } from './attached-support.js';
import { fixture, TestProject } from './lifecycle-support.js';
import { leftovers, NOTHING_LEFT, replicasOf, sleep, VolumeRecord } from './rel-support.js';

const COUNT = Number(process.env.TSCOMPOSE_CHAOS_COUNT ?? 50);
jest.setTimeout(60_000 + COUNT * 20_000);

const project = new TestProject('rel-chaos', fixture('rel-replicas'));
const volumes = new VolumeRecord(project.name);

type Kind = readonly [command: readonly string[], signal: NodeJS.Signals];
const KINDS: readonly Kind[] = [
  [['up', '-d', '-t', '1'], 'SIGINT'],
  [['up', '-t', '1'], 'SIGINT'],
  [['down', '-t', '1'], 'SIGINT'],
  [['watch'], 'SIGINT'],
  [['up', '-d', '-t', '1'], 'SIGKILL'],
  [['up', '-t', '1'], 'SIGKILL'],
  [['down', '-t', '1'], 'SIGKILL'],
  [['watch'], 'SIGKILL'],
];

beforeAll(async () => {
  await project.cleanup();
  await project.ok(['up', '-d']);
  volumes.watch();
});

afterAll(async () => {
  try {
    await project.cleanup();
  } finally {
    await volumes.removeSurvivors();
  }
});

test(`${COUNT} interruptions by SIGINT and SIGKILL at random moments of up, attached up, down and watch must each exit cleanly and converge on the rerun`, async () => {
  const failures: string[] = [];
  const seen = new Map<string, number>();
  for (let round = 0; round < COUNT; round++) {
    const [command, signal] = KINDS[round % KINDS.length];
    const mode = `c${round}`;
    const what = `#${round} ${signal} to ${command.join(' ')}`;
    const run = new CliRun(project, command, { env: { MODE: mode }, timeoutMs: 60_000 });
    const delay = 150 + Math.random() * 1100;
    await sleep(delay);
    run.kill(signal);
    const ended = await run.finished;
    if (signal === 'SIGINT') {
      // Ended by the signal itself only when it came before Node had the handler: the shell's 130 too.
      const cleanly = ended.code === 130 || (ended.code === null && ended.signal === 'SIGINT') || ended.code === 0;
      if (!cleanly) failures.push(`${what} after ${Math.round(delay)} ms: exit ${ended.code} (${ended.signal})\n${ended.stderr}`);
      if (CRASH.test(ended.stderr)) failures.push(`${what}: crash output\n${ended.stderr}`);
      const outcome = ended.code === 0 ? 'finished first' : 'interrupted';
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    }
    const rerun = await project.run(['up', '-d', '-t', '1'], { env: { MODE: mode } });
    if (rerun.code !== 0) failures.push(`${what}: the rerun failed (${rerun.code})\n${rerun.stderr}`);
    // Two replicas, each once, running, under the canonical name of its number (as in Compose, a
    // replica lost to a killed down is not refilled: the next number is used).
    const containers = await project.containers();
    const numbers = containers.map((container) => container.number);
    const canonical = containers.every((container) => container.name === `rel-chaos-app-${container.number}` && container.status === 'running');
    if (containers.length !== 2 || new Set(numbers).size !== 2 || !canonical) {
      failures.push(`${what}: after the rerun: ${(await replicasOf(project.name)).join(', ')}`);
    }
    for (const container of containers) {
      if (!container.env.includes(`MODE=${mode}`)) failures.push(`${what}: ${container.name} does not run MODE=${mode}`);
    }
    await volumes.record();
  }
  expect(failures).toEqual([]);
  // Most SIGINTs must have landed while the command ran, or the test proved little.
  expect(seen.get('interrupted') ?? 0).toBeGreaterThan((seen.get('finished first') ?? 0));
  await project.ok(['down', '-v', '-t', '0']);
  expect(await leftovers(project.name)).toEqual(NOTHING_LEFT);
});
