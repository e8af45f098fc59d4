/**
 * What a command's definition gets from the CLI: each verb declares its own arguments and flags
 * (in `<verb>-command.ts`, next to the command it runs), and cli.ts keeps only what every command
 * shares: the Context built from the global flags, Ctrl-C, and the error report.
 *
 * Definitions stay light: they import their command's module lazily, in the action, so that
 * `tscompose config` or `tscompose version` never load the engine client.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';

export interface CommandHost {
  /** Wraps a command's body: the Context is built from the global flags when the command runs. */
  action<T extends unknown[]>(run: (ctx: Context, ...args: T) => Promise<void>): (...args: T) => Promise<void>;
  /** Whether the command line holds this exact flag (commander folds --build and --no-build into one value). */
  flagGiven(flag: string): boolean;
}

/** Adds one command (with `program.command(...)`, so it inherits the program's settings). */
export type CommandDefinition = (program: Command, host: CommandHost) => void;
