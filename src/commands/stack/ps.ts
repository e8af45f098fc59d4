/** `tscompose stack ps STACK`: the stack's tasks, with their history, as `docker stack ps` lists them. */
import type { Context } from '../../context.js';
import { TscomposeError } from '../../errors.js';
import { namespaceFilter } from '../../model/stack/names.js';
import { parseFilters, printRows } from './print-rows.js';
import { taskRows } from './stack-rows.js';
import { withStackSession } from './stack-session.js';

export interface StackPsOptions {
  readonly filter: readonly string[];
  readonly format?: string;
  readonly noResolve: boolean;
  readonly noTrunc: boolean;
  readonly quiet: boolean;
}

export async function stackPsCommand(ctx: Context, stack: string, options: StackPsOptions): Promise<void> {
  await withStackSession(ctx, async ({ swarm }) => {
    const call = { signal: ctx.forceSignal };
    const [tasks, services, nodes] = await Promise.all([
      swarm.listTasks({ label: [namespaceFilter(stack)], other: parseFilters(options.filter) }, call),
      swarm.listServices({ label: [namespaceFilter(stack)] }, call),
      swarm.listNodes(call),
    ]);
    if (tasks.length === 0) throw new TscomposeError(`nothing found in stack: ${stack}`);
    const rows = taskRows(tasks, services, nodes, { noTrunc: options.noTrunc, noResolve: options.noResolve, now: ctx.now() });
    printRows(ctx, rows, [
      { header: 'ID', field: 'ID' },
      { header: 'NAME', field: 'Name' },
      { header: 'IMAGE', field: 'Image' },
      { header: 'NODE', field: 'Node' },
      { header: 'DESIRED STATE', field: 'DesiredState' },
      { header: 'CURRENT STATE', field: 'CurrentState' },
      { header: 'ERROR', field: 'Error' },
      { header: 'PORTS', field: 'Ports' },
    ], options);
  });
}
