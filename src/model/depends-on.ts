/**
 * `depends_on`: the list form means "started, required"; the long form gets the same defaults.
 * `restart` is kept only when true (Compose prints it only then).
 */
import type { Dependency } from './types.js';
import { compact, extensionsOf, isTree, optionalBoolean, optionalString, scalarString, sortByKey } from './scalars.js';

const CONDITIONS = new Set<Dependency['condition']>([
  'service_started',
  'service_healthy',
  'service_completed_successfully',
]);

export function toDependsOn(value: unknown): Record<string, Dependency> {
  const out: Record<string, Dependency> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const name = scalarString(item);
      if (name !== undefined) out[name] = { condition: 'service_started', required: true };
    }
  } else if (isTree(value)) {
    for (const [name, entry] of Object.entries(value)) {
      const long = isTree(entry) ? entry : {};
      const condition = optionalString(long.condition);
      out[name] = compact({
        condition: CONDITIONS.has(condition as Dependency['condition'])
          ? (condition as Dependency['condition'])
          : 'service_started',
        required: optionalBoolean(long.required) ?? true,
        restart: optionalBoolean(long.restart) || undefined,
        extensions: extensionsOf(long),
      });
    }
  }
  return sortByKey(out);
}
