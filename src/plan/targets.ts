/**
 * Which services a run acts on, decided in one place for `up`, watch's re-plans, the planner and
 * attached mode: the services named on the command line (every service when none is named), and
 * their dependencies unless `--no-deps`.
 */
import type { ServiceGraph } from './graph.js';

/** In start order with dependencies; with `noDeps`, in the order named. Names the project does not have are left out. */
export function targetServices(graph: ServiceGraph, named: readonly string[], noDeps = false): string[] {
  const requested = named.length > 0 ? [...named] : graph.services;
  return noDeps ? requested.filter((name) => graph.has(name)) : graph.withDependencies(requested);
}
