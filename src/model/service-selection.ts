/**
 * Which services a command works on. Profiles decided which services are enabled (the loader's
 * `enabledServices`); naming services on the command line narrows that to those services and
 * everything they depend on, transitively (`config web` = web + its dependencies).
 */
import type { Service } from './types.js';

export function selectWithDependencies(
  services: Readonly<Record<string, Service>>,
  requested: readonly string[],
): Set<string> {
  const selected = new Set<string>();
  const pending = requested.filter((name) => services[name] !== undefined);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (selected.has(name)) continue;
    selected.add(name);
    for (const dependency of Object.keys(services[name].depends_on ?? {})) {
      if (services[dependency] !== undefined && !selected.has(dependency)) pending.push(dependency);
    }
  }
  return selected;
}
