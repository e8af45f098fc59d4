/**
 * Timing one run of a command, and the statistics the table prints.
 *
 * Wall time is taken around the child process here; CPU time and peak memory come from
 * /usr/bin/time (GNU time, Debian's `time` package), which reports the child's own rusage. Where
 * it is missing, those columns stay empty and only wall time is compared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/**
 * Runs `command args` once and returns { wall, cpu, rssMb } (milliseconds, megabytes); stdout goes
 * to /dev/null. Throws with the command's stderr when it fails.
 */
export function timeCommand(command, args, { cwd, env, input } = {}) {
  const argv = hasTime ? [TIME, ['-f', '%U %S %M', command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv[1], {
    cwd,
    env,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed (exit ${result.status}):\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`);
  }
  if (!hasTime) return { wall };
  const [user, sys, maxKb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + sys) * 1000, rssMb: maxKb / 1024 };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (0..1) by the nearest-rank method. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/**
 * Runs each contestant `warmups` times, then `runs` rounds in which every contestant runs once,
 * in turn, so machine noise falls on all of them alike. `run()` returns a number or an object of
 * named numbers; the result maps contestant -> metric -> list of values.
 */
export async function alternate(contestants, { runs, warmups = 1, onRound } = {}) {
  for (let i = 0; i < warmups; i++) for (const contestant of contestants) await contestant.run({ warmup: true });
  const samples = new Map(contestants.map((contestant) => [contestant.name, {}]));
  for (let round = 0; round < runs; round++) {
    for (const contestant of contestants) {
      const result = await contestant.run({ warmup: false });
      const metrics = typeof result === 'number' ? { value: result } : result;
      const into = samples.get(contestant.name);
      for (const [metric, value] of Object.entries(metrics)) {
        if (value === undefined) continue;
        (into[metric] ??= []).push(value);
      }
    }
    onRound?.(round);
  }
  return samples;
}
