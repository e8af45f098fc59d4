/**
 * Which command definitions a command line needs. Building commander's whole tree (~40 commands,
 * hundreds of options) costs about as much as all the rest of `tscompose version`, and a run uses
 * one command: when the command line plainly names one, only its definition is built. Anything
 * else builds them all: help (which lists them), an alias or a misspelling (commander's message
 * and suggestions need the tree), a flag this cannot read, `__complete` (which reads the tree).
 */
import type { Command } from 'commander';
import type { CommandDefinition, CommandHost } from './command-definition.js';

export function definitionsFor(args: readonly string[], program: Command, host: CommandHost, definitions: readonly CommandDefinition[]): readonly CommandDefinition[] {
  const word = commandWord(args, program);
  if (word === undefined) return definitions;
  const matching = definitions.filter((define) => firstCommandName(define, host) === word);
  return matching.length === 1 ? matching : definitions;
}

/** The first argument that is not a global option or its value; undefined when unsure. */
function commandWord(args: readonly string[], program: Command): string | undefined {
  if (args.some((arg) => arg === '-h' || arg === '--help')) return undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') return arg;
    const equals = arg.indexOf('=');
    const flag = arg.startsWith('--') ? (equals >= 0 ? arg.slice(0, equals) : arg) : arg.slice(0, 2);
    const option = program.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (option === undefined) return undefined;
    const takesValue = option.required || option.optional;
    // `-fFILE`, `--file=FILE`: the value is attached. `-ab`: two short flags, not read here.
    const attached = arg.startsWith('--') ? equals >= 0 : arg.length > 2;
    if (attached && !takesValue) return undefined;
    if (option.optional && !attached) return undefined;
    if (option.required && !attached) i++;
  }
  return undefined;
}

/** Thrown by the stand-in program below to stop a definition once it has named its command. */
class Named {
  constructor(readonly name: string) {}
}

/**
 * The name of the first command a definition adds, read by running it against a stand-in whose
 * `command()` stops it there (a definition starts with `program.command(name)`; one that does not
 * is built always).
 */
function firstCommandName(define: CommandDefinition, host: CommandHost): string | undefined {
  const standIn = {
    command(nameAndArgs: string): never {
      throw new Named(nameAndArgs.split(' ')[0]);
    },
  };
  try {
    define(standIn as unknown as Command, host);
  } catch (stop) {
    if (stop instanceof Named) return stop.name;
  }
  return undefined;
}
