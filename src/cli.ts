#!/usr/bin/env node
/**
 * argv -> command. This is the one place that builds the Context, wires Ctrl-C, and turns errors
 * into messages and exit codes (0 ok, 1 error, 130 interrupted). Each command declares its own
 * arguments and flags (commands/<verb>-command.ts, listed in commands/registry.ts) and imports its
 * implementation lazily, so that `tscompose config` never loads the engine client.
 */
import { Command, Option, CommanderError } from 'commander';
import { setMaxListeners } from 'node:events';
import { isatty } from 'node:tty';
import { ansiSetting, checkProgressAgainstAnsi, colorAllowed, type AnsiSetting } from './commands/output/ansi-policy.js';
import { connectFromEnvironment } from './api/engine-session.js';
import type { CommandHost } from './commands/command-definition.js';
import { definitionsFor } from './commands/command-subset.js';
import { collect, parseInteger } from './commands/option-parsers.js';
import { COMMANDS } from './commands/registry.js';
import { truthy } from './commands/truthy.js';
import type { Context, GlobalOptions } from './context.js';
import { toolVersion } from './tool-version.js';
import { CancelledError, ConfigError, ExitCodeError, TscomposeError, UsageError } from './errors.js';
import type { Paint } from './render-problems.js';

// The nearest package.json above the running module: the project's, wherever the bundle lives.
const version = toolVersion();

interface RawGlobals {
  file?: string[];
  projectName?: string;
  projectDirectory?: string;
  profile?: string[];
  envFile?: string[];
  parallel?: number;
  progress?: string;
  ansi?: string;
  dryRun?: boolean;
  verbose?: boolean;
  compatibility?: boolean;
}

function globalOptions(raw: RawGlobals, env: Record<string, string | undefined>): GlobalOptions {
  const parallelFromEnv = env.COMPOSE_PARALLEL_LIMIT ? Number(env.COMPOSE_PARALLEL_LIMIT) : undefined;
  const parallel = raw.parallel ?? parallelFromEnv;
  const progress = (raw.progress ?? env.COMPOSE_PROGRESS ?? 'auto') as GlobalOptions['progress'];
  if (!['auto', 'tty', 'plain', 'quiet', 'json'].includes(progress)) {
    throw new UsageError(`unsupported --progress value "${progress}": use auto, tty, plain, quiet or json`);
  }
  const ansi = ansiSetting(raw.ansi, env);
  checkProgressAgainstAnsi(progress, ansi);
  return {
    files: raw.file ?? [],
    projectName: raw.projectName,
    projectDirectory: raw.projectDirectory,
    profiles: raw.profile ?? [],
    envFiles: raw.envFile ?? [],
    parallel: parallel !== undefined && parallel > 0 ? parallel : undefined,
    progress,
    ansi,
    dryRun: raw.dryRun ?? false,
  };
}

/** Ctrl-C: the first signal asks for a graceful stop, the second forces it, a third exits now. */
function wireSignals(): { signal: AbortSignal; forceSignal: AbortSignal } {
  const graceful = new AbortController();
  const force = new AbortController();
  // Every engine call and stream of a command listens to these: `logs` of eleven containers is no leak.
  setMaxListeners(0, graceful.signal, force.signal);
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) graceful.abort(new CancelledError());
    else if (count === 2) force.abort(new CancelledError());
    else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: graceful.signal, forceSignal: force.signal };
}

/**
 * The Context of one command run. `--dry-run` counts before and after the command's name, as in
 * Compose; `--verbose` turns on the debug notes (TSCOMPOSE_DEBUG).
 */
async function makeContext(program: Command, command: Command | undefined): Promise<Context> {
  const raw = program.opts<RawGlobals>();
  const env = raw.verbose ? { ...process.env, TSCOMPOSE_DEBUG: '1' } : process.env;
  const options = globalOptions({ ...raw, dryRun: raw.dryRun === true || command?.opts<RawGlobals>().dryRun === true }, env);
  // isatty, not process.stderr.isTTY: reading a stdio stream makes it, and most runs write nothing to stderr.
  const color = colorAllowed(options.ansi, env, isatty(1));
  const stderrColor = colorAllowed(options.ansi, env, isatty(2));
  const signals = wireSignals();
  // chalk only when there is colour to paint: most runs print into a pipe or a file.
  const warnColor = stderrColor ? new (await import('chalk')).Chalk({ level: 1 }).yellow : (text: string) => text;
  const warn = (message: string): void => void process.stderr.write(`${warnColor('WARN')} ${message}\n`);
  return {
    cwd: process.cwd(),
    env,
    // Made when first read: few commands read stdin or write to stderr, and each sets up a stream.
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    ...signals,
    now: () => Date.now(),
    options,
    color,
    stderrColor,
    warn,
    connectEngine: connectFromEnvironment(env, warn),
  };
}

/** What every command's definition gets: the Context, built when the command runs, and the raw flags. */
function commandHost(program: Command): CommandHost {
  return {
    action<T extends unknown[]>(run: (ctx: Context, ...args: T) => Promise<void>) {
      return async (...args: T): Promise<void> => {
        // commander passes the command itself last.
        const command = args[args.length - 1];
        const ctx = await makeContext(program, command instanceof Command ? command : undefined);
        if (program.opts<RawGlobals>().compatibility || truthy(ctx.env.COMPOSE_COMPATIBILITY)) {
          ctx.warn('--compatibility is accepted for scripts written for Compose v1, but containers keep the names Compose v2 gives them (project-service-1)');
        }
        await run(ctx, ...args);
      };
    },
    flagGiven: (flag: string) => (program as Command & { rawArgs?: string[] }).rawArgs?.includes(flag) ?? false,
  };
}

/** Colours for configuration problems on stderr, when `--ansi` / NO_COLOR / the terminal allow them. */
async function paintFor(stream: NodeJS.WriteStream, ansi: AnsiSetting): Promise<Paint | undefined> {
  if (!colorAllowed(ansi, process.env, Boolean(stream.isTTY))) return undefined;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return { location: chalk.cyan, path: chalk.bold, message: chalk.red, hint: chalk.green, dim: chalk.dim };
}

/** The `--ansi` setting an error is reported with: as parsed, else `auto` (the setting itself may be the error). */
function ansiForErrors(program: Command | undefined): AnsiSetting {
  try {
    return ansiSetting(program?.opts<RawGlobals>().ansi, process.env);
  } catch {
    return 'auto';
  }
}

/** The single error -> message + exit code policy. */
export async function reportError(error: unknown, ansi: AnsiSetting = 'auto'): Promise<number> {
  if (error instanceof ConfigError) {
    const { renderProblems } = await import('./render-problems.js');
    process.stderr.write(renderProblems(error.problems, error.sources, await paintFor(process.stderr, ansi), { cwd: process.cwd() }));
    return error.exitCode;
  }
  if (error instanceof CancelledError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ExitCodeError) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof TscomposeError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`internal error (this is a bug in tscompose; please report it with the output below)\n${stack}\n`);
  return 1;
}

/** The program; given the command line's arguments (after node and the script), only the command they name (command-subset.ts). */
export function buildProgram(args?: readonly string[]): Command {
  const program = new Command('tscompose')
    .description('Define and run multi-container applications (Compose-compatible)')
    .version(version, '-v, --version', 'print the version and exit')
    .enablePositionalOptions()
    .showHelpAfterError("(run 'tscompose --help' for usage)")
    .exitOverride()
    .option('-f, --file <file>', 'compose configuration file (repeatable; "-" reads stdin)', collect)
    .option('-p, --project-name <name>', 'project name')
    .option('--project-directory <dir>', 'alternate working directory (default: the directory of the first file that is not "-")')
    .option('--profile <profile>', 'enable a profile (repeatable)', collect)
    .option('--env-file <file>', 'alternate environment file (repeatable)', collect)
    .option('--parallel <n>', 'maximum number of parallel engine operations (-1 = unlimited)', parseInteger)
    .addOption(new Option('--progress <mode>', 'progress output').choices(['auto', 'tty', 'plain', 'quiet', 'json']))
    .addOption(new Option('--ansi <when>', 'control when to print ANSI control characters').choices(['never', 'always', 'auto']))
    .option('--dry-run', 'show what would be done without touching the engine (also accepted after the command)')
    .option('--verbose', 'show debug notes')
    .option('--compatibility', 'accepted for Compose v1 scripts; names stay those of Compose v2');

  const host = commandHost(program);
  for (const define of args === undefined ? COMMANDS : definitionsFor(args, program, host, COMMANDS)) define(program, host);
  // Compose takes --dry-run after the command too (`up --dry-run`); its help lists it once, with the global options.
  for (const command of program.commands) command.addOption(new Option('--dry-run').hideHelp());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // process.env is a host object whose every read crosses into C++; the yaml package reads
  // process.env.LOG_TOKENS once per token, which costs ~15% of parsing a large file. A plain copy
  // behaves the same for this process and for the children it spawns.
  process.env = { ...process.env };
  const program = buildProgram(argv.slice(2));
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, ansiForErrors(program));
  }
}

/** main() with every error reported: what the executable runs (src/cli-launcher.ts loads the bundle and calls it). */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    return reportError(error, ansiForErrors(undefined));
  }
}

// Run when executed as a script (the source itself; the built executable calls run()).
const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith('/cli.js');
if (invokedDirectly) {
  void run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
