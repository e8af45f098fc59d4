/**
 * The summary printed when a plan did not fully run (reliability P15, F3, F9): which steps
 * failed and why, what was rolled back, what was done, and what was not done because a step it
 * needed failed, so the user knows the state the engine is in without running `ps`.
 */
import { CancelledError, TscomposeError } from '../errors.js';
import type { ContainerRef, CreateContainerOp, PlanNode } from '../plan/plan.js';
import type { ExecutionResult, NodeOutcome } from './execute.js';

export class ExecutionError extends TscomposeError {
  constructor(
    message: string,
    readonly result: ExecutionResult,
  ) {
    super(message);
  }
}

/** A step in the user's words: "start p-web-1", "create network p_default". */
export function describeStep(node: PlanNode, createOps: ReadonlyMap<number, CreateContainerOp>): string {
  const name = (ref: ContainerRef): string => (ref.kind === 'observed' ? ref.name : (createOps.get(ref.createdBy)?.finalName ?? ref.name));
  const op = node.op;
  switch (op.type) {
    case 'create-network':
      return `create network ${op.name}`;
    case 'remove-network':
      return `remove network ${op.name}`;
    case 'create-volume':
      return `create volume ${op.name}`;
    case 'remove-volume':
      return `remove volume ${op.name}`;
    case 'create-container':
      return op.replaces ? `create the replacement of ${op.finalName}` : `create ${op.finalName}`;
    case 'start-container':
      return `start ${name(op.container)}`;
    case 'stop-container':
      return `stop ${name(op.container)}`;
    case 'restart-container':
      return `restart ${name(op.container)}`;
    case 'remove-container':
      return `remove ${name(op.container)}`;
    case 'rename-container':
      return op.container.kind === 'planned' ? `give the replacement its name ${op.newName}` : `rename ${op.container.name} to ${op.newName}`;
    case 'wait-dependency':
      return `wait for ${op.service} (${op.condition})`;
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** The error to throw for a result that is not ok and not cancelled. */
export function executionError(result: ExecutionResult): ExecutionError {
  const createOps = new Map<number, CreateContainerOp>();
  for (const { node } of result.outcomes) if (node.op.type === 'create-container') createOps.set(node.id, node.op);
  const by = (status: NodeOutcome['status']): NodeOutcome[] => result.outcomes.filter((outcome) => outcome.status === status);
  const failedSteps = by('failed');
  const doneSteps = [...by('done'), ...by('warning')].sort((a, b) => a.node.id - b.node.id);
  const notDone = [...by('skipped'), ...by('cancelled')].sort((a, b) => a.node.id - b.node.id);

  const lines: string[] = [];
  // A step stopped for a reason of its own (a concurrent run took a name it needed) says why.
  for (const outcome of notDone) {
    if (outcome.error === undefined || outcome.error instanceof CancelledError) continue;
    lines.push(`${describeStep(outcome.node, createOps)} stopped: ${outcome.error.message.split('\n')[0]}`);
  }
  for (const outcome of failedSteps) {
    const message = outcome.error?.message ?? 'failed';
    // A rolled-back failure already says so in its message's first line.
    lines.push(`${describeStep(outcome.node, createOps)} failed: ${message.split('\n')[0]}`);
    const rest = message.split('\n').slice(1).join('\n');
    if (rest.trim() !== '') lines.push(indent(rest.replace(/^ {2}/gm, ''), '  '));
  }
  const total = result.outcomes.length;
  lines.push(`summary: ${doneSteps.length} of ${total} steps done, ${failedSteps.length} failed, ${notDone.length} not done`);
  if (doneSteps.length > 0) lines.push(`  done: ${doneSteps.map((outcome) => describeStep(outcome.node, createOps)).join(', ')}`);
  if (notDone.length > 0) {
    lines.push(`  not done (a step they need failed): ${notDone.map((outcome) => describeStep(outcome.node, createOps)).join(', ')}`);
  }
  lines.push('Fix the cause and run the command again: it continues from the current state.');
  return new ExecutionError(lines.join('\n'), result);
}
