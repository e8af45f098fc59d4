/** `tscompose port`. */
import type { CommandDefinition } from './command-definition.js';
import { parseInteger } from './option-parsers.js';

export const portDefinition: CommandDefinition = (program, host) => {
  program
    .command('port')
    .description('print the host address a container port of a service is published on')
    .argument('<service>', 'the service')
    .argument('<private_port>', 'the port inside the container')
    .option('--index <n>', 'the replica of the service (default: the first)', parseInteger)
    .option('--protocol <protocol>', 'tcp or udp', 'tcp')
    .action(
      host.action(async (ctx, service: string, privatePort: string, raw: { index?: number; protocol: string }) => {
        const { portCommand } = await import('./port.js');
        await portCommand(ctx, service, privatePort, { protocol: raw.protocol, ...(raw.index === undefined ? {} : { index: raw.index }) });
      }),
    );
};
