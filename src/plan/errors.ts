/**
 * Errors the planner raises before anything is created. Both are user errors (exit 1, no stack
 * trace): the configuration or the engine's state does not allow a safe plan.
 */
import { TscomposeError } from '../errors.js';

/** `depends_on` (or a `service:` reference) loops. `cycle` starts and ends with the same service. */
export class DependencyCycleError extends TscomposeError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[]) {
    super(`dependency cycle detected: ${cycle.join(' -> ')}`);
    this.cycle = cycle;
  }
}

/**
 * The observed state blocks the plan: a missing external resource, a same-name network the
 * project does not own, a service with no container to start. Lists every problem at once.
 */
export class ReconcileError extends TscomposeError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
