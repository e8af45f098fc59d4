/** `tscompose cp`. */
import type { CommandDefinition } from './command-definition.js';
import { parseInteger } from './option-parsers.js';

export const cpDefinition: CommandDefinition = (program, host) => {
  program
    .command('cp')
    .description('copy files and directories between a service container and the host')
    .argument('<source>', 'SERVICE:SRC_PATH, or a local path (- reads a tar stream from stdin)')
    .argument('<destination>', 'SERVICE:DEST_PATH, or a local path (- writes a tar stream to stdout)')
    .option('-a, --archive', 'keep the owners (uid/gid) of what is copied')
    .option('-L, --follow-link', 'follow a symbolic link named as the source')
    .option('--index <n>', 'the replica of the service (default: into all of them, out of the first)', parseInteger)
    .option('--all', 'also into the one-off containers of the service')
    .action(
      host.action(async (ctx, source: string, destination: string, raw: { archive?: boolean; followLink?: boolean; index?: number; all?: boolean }) => {
        const { cpCommand } = await import('./cp.js');
        await cpCommand(ctx, source, destination, {
          archive: raw.archive ?? false,
          followLink: raw.followLink ?? false,
          all: raw.all ?? false,
          ...(raw.index === undefined ? {} : { index: raw.index }),
        });
      }),
    );
};
