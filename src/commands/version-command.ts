/** `tscompose version`. */
import { Option } from 'commander';
import type { CommandDefinition } from './command-definition.js';
import { toolVersion } from '../tool-version.js';

export const versionDefinition: CommandDefinition = (program, host) => {
  program
    .command('version')
    .description('show the tscompose version')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--short', 'print only the version number')
    .action(
      host.action(async (ctx, options: { format: string; short?: boolean }) => {
        const version = toolVersion();
        if (options.short) ctx.stdout.write(`${version}\n`);
        else if (options.format === 'json') ctx.stdout.write(`${JSON.stringify({ version })}\n`);
        else ctx.stdout.write(`tscompose version ${version}\n`);
      }),
    );
};
