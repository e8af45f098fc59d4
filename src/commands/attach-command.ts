/** `tscompose attach`. */
import type { CommandDefinition } from './command-definition.js';
import { parseBoolean, parseInteger } from './option-parsers.js';

export const attachDefinition: CommandDefinition = (program, host) => {
  program
    .command('attach')
    .description("attach the terminal to a service's running container")
    .argument('<service>', 'the service')
    .option('--detach-keys <keys>', 'the key sequence that detaches (default: ctrl-p,ctrl-q)')
    .option('--index <n>', 'the replica of the service (default: the first)', parseInteger)
    .option('--no-stdin', "don't attach stdin")
    .option('--sig-proxy [bool]', 'pass Ctrl-C on to the process (default true)', parseBoolean, true)
    .action(
      host.action(async (ctx, service: string, raw: { detachKeys?: string; index?: number; stdin?: boolean; sigProxy?: boolean }) => {
        const { attachCommand } = await import('./attach.js');
        await attachCommand(ctx, service, {
          ...(raw.detachKeys === undefined ? {} : { detachKeys: raw.detachKeys }),
          ...(raw.index === undefined ? {} : { index: raw.index }),
          noStdin: raw.stdin === false,
          sigProxy: raw.sigProxy ?? true,
        });
      }),
    );
};
