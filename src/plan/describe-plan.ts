/**
 * The plan in words, one line per action, for `--dry-run` and `up --explain`:
 *
 *   create network app_default: not found
 *   recreate web (app-web-1): image "app:1" -> "app:2", environment MODE changed
 *   start db (app-db-1): exited (0) 3 minutes ago
 *
 * An action is what a person thinks of as one step: a recreate is one line although the plan
 * runs it as create -> stop -> start -> remove -> rename. Node numbers never show. Waits on
 * dependencies are listed only next to changes: alone, they leave the project as it is.
 */
import type { Operation, Plan, PlanNode } from './plan.js';

interface Action {
  /** What the line names: `web (app-web-1)`, `network app_default`, `orphan container app-old-1`. */
  what: string;
  /** The operation types, in node order. */
  readonly types: OperationTypeList;
  /** The cause of each operation type (the first node of that type). */
  readonly causes: Map<string, string>;
  recreate: boolean;
  /** For a rename: the new name. */
  renameTo?: string;
}

type OperationTypeList = Operation['type'][];

/** Causes that only repeat the command (`down`, `stop`), or steps of a recreate already worded on its create. */
const SILENT_CAUSES: ReadonlySet<string> = new Set(['down', 'down -v', 'stop', 'restart', 'finalize recreate', 'new container']);

function serviceOf(node: PlanNode): string | undefined {
  const match = /^service:(.+):[0-9]+$/.exec(node.resource);
  return match === null ? undefined : match[1];
}

function containerWhat(node: PlanNode, name: string): string {
  if (node.resource.startsWith('orphan:')) return `orphan container ${name}`;
  const service = serviceOf(node);
  return service === undefined ? `container ${name}` : `${service} (${name})`;
}

/** The key that gathers the nodes of one action, and what the action names. */
function actionKey(node: PlanNode, aliases: ReadonlyMap<string, string>): { key: string; what: string } {
  const { op } = node;
  switch (op.type) {
    case 'create-network':
    case 'remove-network':
      return { key: `network:${op.name}`, what: `network ${op.name}` };
    case 'create-volume':
    case 'remove-volume':
      return { key: `volume:${op.name}`, what: `volume ${op.name}` };
    case 'wait-dependency':
      return { key: node.resource, what: op.service };
    case 'create-container': {
      const key = aliases.get(op.name) ?? `container:${op.name}`;
      return { key, what: containerWhat(node, op.finalName) };
    }
    default: {
      const name = op.container.name;
      return { key: aliases.get(name) ?? `container:${name}`, what: containerWhat(node, name) };
    }
  }
}

function waitLine(node: PlanNode): string {
  const op = node.op;
  if (op.type !== 'wait-dependency') return '';
  const goal = op.condition === 'service_healthy' ? 'be healthy' : 'complete successfully';
  const optional = op.required ? '' : ', optional';
  const verb = op.dependents.length === 1 ? 'depends' : 'depend';
  return `wait for ${op.service} to ${goal} (${op.dependents.join(', ')} ${verb} on it${optional})`;
}

function causeText(cause: string | undefined): string {
  return cause === undefined || SILENT_CAUSES.has(cause) || cause.startsWith('replaced by #') ? '' : cause;
}

function actionLine(action: Action): string {
  const has = (type: Operation['type']): boolean => action.types.includes(type);
  const cause = (...types: Operation['type'][]): string => {
    for (const type of types) {
      const text = causeText(action.causes.get(type));
      if (text !== '') return text;
    }
    return '';
  };
  let verb: string;
  let why: string;
  if (action.recreate) {
    verb = 'recreate';
    why = cause('create-container');
  } else if (has('create-network') || has('create-volume') || has('create-container')) {
    verb = 'create';
    why = cause('create-network', 'create-volume', 'create-container');
  } else if (has('remove-container') || has('remove-network') || has('remove-volume')) {
    verb = 'remove';
    why = cause('remove-container', 'remove-network', 'remove-volume', 'stop-container');
  } else if (has('restart-container') || (has('stop-container') && has('start-container'))) {
    verb = 'restart';
    why = cause('restart-container', 'start-container', 'stop-container');
  } else if (has('rename-container')) {
    verb = has('start-container') ? 'rename and start' : 'rename';
    why = cause('rename-container', 'start-container');
    action.what = `${action.what} to ${action.renameTo ?? '?'}`;
  } else if (has('start-container')) {
    verb = 'start';
    why = cause('start-container');
  } else {
    verb = 'stop';
    why = cause('stop-container');
  }
  if (why === 'orphan') why = 'its service is not in the compose file';
  return why === '' ? `${verb} ${action.what}` : `${verb} ${action.what}: ${why}`;
}

/** The lines of a plan; empty when it changes nothing (waits alone change nothing). */
export function describePlan(plan: Plan): string[] {
  // A recreate's nodes act on three names: the replacement's temporary one, the old container's, and the final one.
  const aliases = new Map<string, string>();
  for (const { op } of plan.nodes) {
    if (op.type === 'create-container' && op.replaces !== undefined) {
      const key = `recreate:${op.finalName}`;
      aliases.set(op.name, key);
      aliases.set(op.replaces.name, key);
    }
  }
  const actions = new Map<string, Action>();
  // Actions and waits in the order they first appear in the plan.
  const entries: (Action | string)[] = [];
  for (const node of plan.nodes) {
    if (node.op.type === 'wait-dependency') {
      entries.push(waitLine(node));
      continue;
    }
    const { key, what } = actionKey(node, aliases);
    let action = actions.get(key);
    if (action === undefined) {
      action = { what, types: [], causes: new Map(), recreate: key.startsWith('recreate:') };
      actions.set(key, action);
      entries.push(action);
    }
    action.types.push(node.op.type);
    if (!action.causes.has(node.op.type)) action.causes.set(node.op.type, node.cause);
    if (node.op.type === 'create-container' && action.recreate) action.what = what;
    if (node.op.type === 'rename-container' && !action.recreate) action.renameTo = node.op.newName;
  }
  if (actions.size === 0) return [];
  return entries.map((entry) => (typeof entry === 'string' ? entry : actionLine(entry)));
}
