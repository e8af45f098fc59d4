/** `tscompose events`. */
import type { CommandDefinition } from './command-definition.js';

export const eventsDefinition: CommandDefinition = (program, host) => {
  program
    .command('events')
    .description('print the container events of the project as they happen')
    .argument('[services...]', 'only these services')
    .option('--json', 'one JSON object per event and line')
    .action(
      host.action(async (ctx, services: string[], raw: { json?: boolean }) => {
        const { eventsCommand } = await import('./events.js');
        await eventsCommand(ctx, services, { json: raw.json ?? false });
      }),
    );
};
