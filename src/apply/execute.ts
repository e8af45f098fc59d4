/**
 * execute(plan): runs a Plan's nodes along its edges, in parallel up to a limit, and reports what
 * happened to each node. It decides nothing about *what* to do (the planner did); it follows the
 * executor rules in plan/plan.ts:
 *
 * - a node runs once every node it depends on succeeded; when one failed or was not run, it is
 *   skipped ("not done"), while independent branches carry on (a failing service does not stop
 *   its unrelated neighbours, and the rerun converges from there);
 * - a failed best-effort node is a warning and counts as succeeded;
 * - `concurrency` caps the engine operations in flight (`--parallel`, COMPOSE_PARALLEL_LIMIT);
 *   waits hold no slot, since they only poll;
 * - cancellation: the first Ctrl-C (`signal`) starts nothing new, ends waits and lets engine
 *   calls in flight finish, so the engine is left in a state the next `up` converges from (P10);
 *   the second (`forceSignal`) aborts the calls in flight too;
 * - a container name taken by a container of this project (a concurrent run, P16) stops the run
 *   the same way and asks the caller to observe again and re-plan (`result.replan`).
 */
import { CancelledError } from '../errors.js';
import type { Plan, PlanNode } from '../plan/plan.js';
import { anySignal } from './abort-signals.js';
import { ConcurrentRunError, RolledBackError } from './engine-failures.js';
import { PlanOperations, type OperationContext } from './operations.js';

export type NodeStatus = 'done' | 'warning' | 'failed' | 'skipped' | 'cancelled';

export interface NodeOutcome {
  readonly node: PlanNode;
  readonly status: NodeStatus;
  /** What went wrong (failed, warning), as the user should read it. */
  readonly error?: Error;
  /** Set when a failure was rolled back. */
  readonly rollback?: string;
}

export interface ExecutionResult {
  /** One per plan node, in plan order. */
  readonly outcomes: readonly NodeOutcome[];
  readonly cancelled: boolean;
  /** A concurrent run took a name this plan wanted: observe again and plan again. */
  readonly replan?: string;
  /** No node failed, none was skipped or cancelled (warnings allowed). */
  readonly ok: boolean;
}

export interface ExecuteOptions extends Omit<OperationContext, 'waitSignal'> {
  /** Maximum engine operations in flight; undefined = unlimited. */
  readonly concurrency?: number;
  /** First Ctrl-C: start nothing new, end waits. */
  readonly signal?: AbortSignal;
}

const SUCCEEDED: ReadonlySet<NodeStatus> = new Set(['done', 'warning']);

/** Announces the plan's resources to the progress view (a terminal view lays them out up front). */
export function announce(plan: Plan, options: ExecuteOptions, extra: readonly string[] = []): void {
  const ids = new PlanOperations(plan.nodes, options).displayIds();
  options.progress?.start([...new Set([...extra, ...ids])]);
}

export async function execute(plan: Plan, options: ExecuteOptions): Promise<ExecutionResult> {
  const signals = [options.signal, options.forceSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  const waitSignal = signals.length > 0 ? anySignal(signals) : undefined;
  const operations = new PlanOperations(plan.nodes, { ...options, ...(waitSignal ? { waitSignal } : {}) });
  const limit = options.concurrency !== undefined && options.concurrency > 0 ? options.concurrency : Infinity;

  const outcomes = new Map<number, NodeOutcome>();
  const pending = [...plan.nodes];
  const inFlight = new Map<number, Promise<void>>();
  let slotsInUse = 0;
  let replan: string | undefined;
  const stopping = (): boolean => replan !== undefined || Boolean(options.signal?.aborted) || Boolean(options.forceSignal?.aborted);

  const runNode = async (node: PlanNode): Promise<void> => {
    const usesSlot = node.op.type !== 'wait-dependency';
    if (usesSlot) slotsInUse++;
    try {
      await operations.run(node);
      outcomes.set(node.id, { node, status: 'done' });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (failure instanceof ConcurrentRunError) {
        replan ??= failure.message;
        outcomes.set(node.id, { node, status: 'cancelled', error: failure });
      } else if (failure instanceof CancelledError || (node.op.type === 'wait-dependency' && waitSignal?.aborted)) {
        outcomes.set(node.id, { node, status: 'cancelled', error: failure });
      } else {
        outcomes.set(node.id, {
          node,
          status: node.bestEffort ? 'warning' : 'failed',
          error: failure,
          ...(failure instanceof RolledBackError ? { rollback: failure.rollback } : {}),
        });
      }
    } finally {
      if (usesSlot) slotsInUse--;
      inFlight.delete(node.id);
    }
  };

  for (;;) {
    // Decide what can be decided in plan order: dependencies always come earlier.
    for (let index = 0; index < pending.length; ) {
      const node = pending[index];
      const deps = node.dependsOn.map((id) => outcomes.get(id));
      if (deps.some((outcome) => outcome !== undefined && !SUCCEEDED.has(outcome.status))) {
        outcomes.set(node.id, { node, status: 'skipped' });
        pending.splice(index, 1);
        continue;
      }
      const ready = deps.every((outcome) => outcome !== undefined);
      const usesSlot = node.op.type !== 'wait-dependency';
      // A node that finishes a step already taken still starts after the first Ctrl-C.
      const mayStart = !stopping() || (node.finishes === true && replan === undefined && !options.forceSignal?.aborted);
      if (ready && mayStart && (!usesSlot || slotsInUse < limit)) {
        pending.splice(index, 1);
        inFlight.set(node.id, runNode(node));
        continue;
      }
      index++;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }

  for (const node of pending) outcomes.set(node.id, { node, status: 'cancelled' });
  const ordered = plan.nodes.map((node) => outcomes.get(node.id)!);
  const cancelled = Boolean(options.signal?.aborted || options.forceSignal?.aborted);
  return {
    outcomes: ordered,
    cancelled,
    ...(replan === undefined ? {} : { replan }),
    ok: ordered.every((outcome) => SUCCEEDED.has(outcome.status)),
  };
}
