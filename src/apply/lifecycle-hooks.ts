/**
 * `post_start` and `pre_stop` (Compose >= 2.30): each hook runs as an exec in the container, in
 * order, with its own user, privileges, working directory and environment on top of the
 * container's. A hook that exits non-zero fails with Compose's words (`web hook exited with status
 * 3`) plus the last lines it printed, so the cause is visible without attaching.
 */
import { TscomposeError } from '../errors.js';
import type { LifecycleHook } from '../model/types.js';
import { mapEnvironment } from './container-spec.js';
import type { CallOptions, Engine } from './engine.js';

const OUTPUT_LINES_SHOWN = 5;

/** A hook that exited non-zero. */
export class HookFailedError extends TscomposeError {}

function lastLines(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-OUTPUT_LINES_SHOWN).join('\n');
}

export async function runLifecycleHooks(
  engine: Engine,
  container: { readonly id: string; readonly service: string },
  hooks: readonly LifecycleHook[] | undefined,
  call: CallOptions,
): Promise<void> {
  for (const hook of hooks ?? []) {
    const environment = mapEnvironment(hook.environment);
    const result = await engine.exec(container.id, {
      ...call,
      command: hook.command,
      ...(hook.user === undefined ? {} : { user: hook.user }),
      ...(hook.working_dir === undefined ? {} : { workingDir: hook.working_dir }),
      ...(environment === undefined ? {} : { env: environment }),
      ...(hook.privileged === undefined ? {} : { privileged: hook.privileged }),
    });
    if (result.exitCode !== 0) {
      const output = lastLines(`${result.stdout}\n${result.stderr}`);
      throw new HookFailedError(`${container.service} hook exited with status ${result.exitCode}${output ? `:\n${output}` : ''}`);
    }
  }
}
