/**
 * Measuring a long-running command that prints: how fast its output arrives, and the CPU time the
 * process used meanwhile (read from /proc before it is stopped, so it counts only that process).
 */
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU milliseconds of a running process, from /proc/PID/stat (undefined off Linux). */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3 of the file, utime 14 and stime 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * Starts `command args`, counts the lines it prints on stdout until `lines` have arrived, then
 * stops it. Returns { wall (ms from start to the last line), cpu (ms), linesPerSecond }.
 */
export function countLines(command, args, { cwd, env, lines, timeoutMs = 300_000 }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let stderr = '';
    let done = false;
    const finish = (error, result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      if (error) reject(error);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(new Error(`${command} ${args.join(' ')}: ${seen} of ${lines} lines after ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.stdout.on('data', (chunk) => {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) seen++;
      if (seen >= lines) {
        const wall = Number(process.hrtime.bigint() - started) / 1e6;
        const cpu = processCpuMs(child.pid);
        finish(undefined, { wall, cpu, linesPerSecond: (lines / wall) * 1000 });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('exit', (code) => finish(new Error(`${command} ${args.join(' ')} exited (${code}) after ${seen} of ${lines} lines\n${stderr}`)));
    child.on('error', (error) => finish(error));
  });
}
