/**
 * How long work kept this process busy: CPU time (user and system), not wall time. Other
 * processes on a busy machine stretch the wall time of the same work many times over; they
 * hardly change its CPU time, so a budget on it fails only when the work itself is too much.
 */
export async function cpuTimeOf<T>(work: () => T | Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const { user, system } = process.cpuUsage(before);
  return { result, cpuMs: (user + system) / 1000 };
}
