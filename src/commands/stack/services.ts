/** `tscompose stack services STACK`: the stack's services with their running and desired task counts. */
import type { Context } from '../../context.js';
import { namespaceFilter } from '../../model/stack/names.js';
import { parseFilters, printRows } from './print-rows.js';
import { serviceRows } from './stack-rows.js';
import { withStackSession } from './stack-session.js';

export interface StackServicesOptions {
  readonly filter: readonly string[];
  readonly format?: string;
  readonly quiet: boolean;
}

export async function stackServicesCommand(ctx: Context, stack: string, options: StackServicesOptions): Promise<void> {
  await withStackSession(ctx, async ({ swarm }) => {
    const services = await swarm.listServices({ label: [namespaceFilter(stack)], other: parseFilters(options.filter) }, { signal: ctx.forceSignal, status: true });
    if (services.length === 0) {
      ctx.stderr.write(`Nothing found in stack: ${stack}\n`);
      return;
    }
    const rows = serviceRows(services);
    printRows(ctx, rows, [
      { header: 'ID', field: 'ID' },
      { header: 'NAME', field: 'Name' },
      { header: 'MODE', field: 'Mode' },
      { header: 'REPLICAS', field: 'Replicas' },
      { header: 'IMAGE', field: 'Image' },
      { header: 'PORTS', field: 'Ports' },
    ], options);
  });
}
