/**
 * The one-per-line listings of `config --services/--volumes/--networks/--profiles/--images`.
 * Compose prints some of them in Go map order (random from run to run); we print a stable order
 * that Compose could have printed: services dependencies first (ties by name), the rest sorted.
 */
import type { Project, Service } from '../types.js';

/** Enabled services, every service after the services it depends on; ties broken by name. */
export function servicesInDependencyOrder(project: Project): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name) || !project.services[name]) return;
    state.set(name, 'visiting');
    for (const dependency of Object.keys(project.services[name].depends_on ?? {}).sort()) visit(dependency);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name);
  return order;
}

/** Every profile named by any service, enabled or not, sorted. */
export function profileNames(project: Project): string[] {
  const names = new Set<string>();
  const all: Service[] = [...Object.values(project.services), ...Object.values(project.disabledServices)];
  for (const service of all) for (const profile of service.profiles ?? []) names.add(profile);
  return [...names].sort();
}

/** The image of each service; a service that only builds gets Compose's `<project>-<service>`. */
export function imageNames(project: Project): string[] {
  return Object.keys(project.services)
    .sort()
    .map((name) => project.services[name].image ?? `${project.name}-${name}`);
}
