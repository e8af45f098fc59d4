/** `tscompose stack ls`: the stacks of the swarm (tscompose's and docker stack's alike), from their services' labels. */
import type { Context } from '../../context.js';
import { STACK_LABEL } from '../../model/stack/names.js';
import { printRows } from './print-rows.js';
import { stackRows } from './stack-rows.js';
import { withStackSession } from './stack-session.js';

export async function stackLsCommand(ctx: Context, options: { readonly format?: string }): Promise<void> {
  await withStackSession(ctx, async ({ swarm }) => {
    const services = await swarm.listServices({ label: [STACK_LABEL.namespace] }, { signal: ctx.forceSignal });
    printRows(ctx, stackRows(services), [
      { header: 'NAME', field: 'Name' },
      { header: 'SERVICES', field: 'Services' },
    ], options);
  });
}
