/**
 * `tscompose version`. Clients that drive Compose (the npm `docker-compose` package, and through it
 * testcontainers) run `version --short` to learn which Compose they talk to and gate features on
 * it, so the machine-readable forms answer with the Compose version whose commands tscompose
 * implements; the human form says both. `-v/--version` prints tscompose's own version.
 */
import { Option } from 'commander';
import type { CommandDefinition } from './command-definition.js';
import { toolVersion } from '../tool-version.js';

/** The Docker Compose release whose commands, flags and output tscompose follows. */
export const COMPOSE_VERSION = '2.26.1';

export const versionDefinition: CommandDefinition = (program, host) => {
  program
    .command('version')
    .description('show the tscompose version and the Docker Compose version it is compatible with')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--short', 'print only the compatible Docker Compose version (what clients parse)')
    .action(
      host.action(async (ctx, options: { format: string; short?: boolean }) => {
        if (options.short) ctx.stdout.write(`${COMPOSE_VERSION}\n`);
        else if (options.format === 'json') ctx.stdout.write(`${JSON.stringify({ version: COMPOSE_VERSION, tscompose: toolVersion() })}\n`);
        else ctx.stdout.write(`tscompose version ${toolVersion()} (compatible with Docker Compose ${COMPOSE_VERSION})\n`);
      }),
    );
};
