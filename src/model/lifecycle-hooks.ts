/**
 * Commands run inside a running container: `post_start` and `pre_stop` (Compose >= 2.30), and a
 * watch rule's `exec`. A string command is shell-split; a valueless `environment` entry stays
 * `null` (the command runs with it unset): unlike a service's environment, Compose 2.26 does not
 * look it up in the shell or `.env`.
 */
import type { LifecycleHook } from './types.js';
import { resolveEnvironment } from './environment.js';
import { toCommand } from './shell-split.js';
import { compact, isTree, optionalBoolean, optionalString, type Tree } from './scalars.js';

export function toLifecycleHook(value: Tree): LifecycleHook {
  return compact({
    command: toCommand(value.command) ?? [],
    user: optionalString(value.user),
    privileged: optionalBoolean(value.privileged),
    working_dir: optionalString(value.working_dir),
    environment: value.environment === undefined || value.environment === null ? undefined : resolveEnvironment(value.environment, {}),
  });
}

/** `post_start` / `pre_stop`: a list of hooks, in order. */
export function toLifecycleHooks(value: unknown): LifecycleHook[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isTree).map(toLifecycleHook);
}
