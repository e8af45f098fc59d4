/** `develop.watch`: paths become absolute; an exec hook's string command is shell-split. */
import type { Develop, WatchRule } from './types.js';
import { toLifecycleHook } from './lifecycle-hooks.js';
import { resolveHostPath, type PathContext } from './paths.js';
import {
  asArray,
  compact,
  extensionsOf,
  isTree,
  optionalBoolean,
  optionalString,
  stringList,
} from './scalars.js';

const ACTIONS = new Set<WatchRule['action']>(['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec']);

export function toDevelop(value: unknown, paths: PathContext): Develop | undefined {
  if (!isTree(value)) return undefined;
  const watch: WatchRule[] = [];
  for (const rule of asArray(value.watch)) {
    if (!isTree(rule)) continue;
    const path = optionalString(rule.path);
    const action = optionalString(rule.action) as WatchRule['action'] | undefined;
    if (path === undefined || action === undefined || !ACTIONS.has(action)) continue;
    watch.push(
      compact({
        path: resolveHostPath(path, paths),
        action,
        target: optionalString(rule.target),
        ignore: stringList(rule.ignore),
        include: stringList(rule.include),
        initial_sync: optionalBoolean(rule.initial_sync),
        exec: isTree(rule.exec) ? toLifecycleHook(rule.exec) : undefined,
        extensions: extensionsOf(rule),
      }),
    );
  }
  return compact({ watch, extensions: extensionsOf(value) });
}
