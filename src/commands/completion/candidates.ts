/**
 * What completes the word under the cursor, read from commander's own command tree, so every
 * command, flag and choice a helper registers is completed without being listed here:
 *
 * - a subcommand where the command takes one, its flags after `-`;
 * - a flag's value: its `.choices()`, else what its placeholder names (`<service>`, `<file>`,
 *   `<dir>`, `<service=num>`, `[bool]`);
 * - an argument: service names for `[services...]` / `<service>`, its choices, files for `<file>`.
 *
 * Global flags come before the command, as commander (and Compose) read them; `-f`,
 * `--project-directory` and `--env-file` given there decide where service names are read.
 */
import type { Argument, Command, Option } from 'commander';

export interface Candidate {
  readonly value: string;
  readonly description?: string;
}

export interface Completion {
  /** `files` / `dirs`: let the shell complete paths itself; `services`: the project's service names. */
  readonly kind: 'words' | 'files' | 'dirs' | 'services';
  readonly candidates: readonly Candidate[];
  /** The candidates are not whole words yet (`--scale web=`): no space after them. */
  readonly noSpace: boolean;
  /** For `services`: where the names are read, and what follows each (`=` for `--scale`); a prefix for `--flag=`. */
  readonly services?: { readonly files: readonly string[]; readonly projectDirectory?: string; readonly prefix: string; readonly suffix: string };
}

const FILES: Completion = { kind: 'files', candidates: [], noSpace: false };
const DIRECTORIES: Completion = { kind: 'dirs', candidates: [], noSpace: false };

function words(values: readonly string[], noSpace = false): Completion {
  return { kind: 'words', candidates: values.map((value) => ({ value })), noSpace };
}

function visibleCommands(command: Command): Command[] {
  return command
    .createHelp()
    .visibleCommands(command)
    .filter((sub) => sub.name() !== 'help');
}

function visibleOptions(command: Command): Option[] {
  return command.createHelp().visibleOptions(command);
}

function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((option) => option.long === flag || option.short === flag);
}

function findCommand(command: Command, name: string): Command | undefined {
  return command.commands.find((sub) => sub.name() === name || sub.aliases().includes(name));
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

/** The placeholder of a flag's value, `service` for `--attach <service>`. */
function placeholder(option: Option): string {
  return /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
}

interface LineState {
  command: Command;
  /** Positional words given to `command` so far. */
  positionals: number;
  files: string[];
  projectDirectory?: string;
  /** The flag whose value is the current word. */
  pendingValue?: Option;
}

/** Reads the words before the cursor the way commander will: flags, their values, subcommands. */
function readLine(program: Command, before: readonly string[]): LineState {
  const state: LineState = { command: program, positionals: 0, files: [] };
  let onlyPositionals = false;
  for (let index = 0; index < before.length; index++) {
    const word = before[index];
    if (!onlyPositionals && word === '--') {
      onlyPositionals = true;
      continue;
    }
    if (!onlyPositionals && word.startsWith('-') && word.length > 1) {
      const equals = word.indexOf('=');
      const flag = word.startsWith('--') && equals > 0 ? word.slice(0, equals) : word;
      const option = findOption(state.command, flag);
      let value: string | undefined = equals > 0 && word.startsWith('--') ? word.slice(equals + 1) : undefined;
      if (option !== undefined && takesValue(option) && value === undefined) {
        const next = before[index + 1];
        if (next === undefined) {
          state.pendingValue = option;
          break;
        }
        // Commander gives an optional value only a word that is not a flag.
        if (option.required || !next.startsWith('-')) {
          value = next;
          index++;
        }
      }
      if (state.command === program && value !== undefined) {
        if (option?.long === '--file') state.files.push(value);
        if (option?.long === '--project-directory') state.projectDirectory = value;
      }
      continue;
    }
    const sub = state.positionals === 0 ? findCommand(state.command, word) : undefined;
    if (sub !== undefined && !onlyPositionals) {
      state.command = sub;
      state.positionals = 0;
      continue;
    }
    state.positionals++;
  }
  return state;
}

/** Service names are read by the caller (service-names.ts), only when a completion needs them. */
function serviceCompletion(state: LineState, suffix = ''): Completion {
  return {
    kind: 'services',
    candidates: [],
    noSpace: suffix !== '',
    services: { files: state.files, ...(state.projectDirectory === undefined ? {} : { projectDirectory: state.projectDirectory }), prefix: '', suffix },
  };
}

/** What a value named `name` (a placeholder or an argument name) is completed with. */
function byName(name: string, choices: readonly string[] | undefined, state: LineState): Completion {
  if (choices !== undefined && choices.length > 0) return words(choices);
  const lower = name.toLowerCase();
  if (/^services?=/.test(lower)) return serviceCompletion(state, '=');
  if (/^services?(\.\.\.)?$/.test(lower)) return serviceCompletion(state);
  if (lower === 'bool') return words(['true', 'false']);
  if (/dir/.test(lower)) return DIRECTORIES;
  if (/file|path/.test(lower)) return FILES;
  return words([]);
}

function optionValues(option: Option, state: LineState): Completion {
  // `--format` takes a template too; the two fixed formats are what is worth completing.
  if (option.long === '--format' && (option.argChoices === undefined || option.argChoices.length === 0)) return words(['table', 'json']);
  return byName(placeholder(option), option.argChoices, state);
}

function flagCandidates(command: Command): Candidate[] {
  return visibleOptions(command).flatMap((option) => {
    const flags = [option.long, option.short].filter((flag): flag is string => flag !== undefined);
    return flags.map((value) => ({ value, description: option.description }));
  });
}

function argumentFor(command: Command, position: number): Argument | undefined {
  const args = command.registeredArguments;
  if (args.length === 0) return undefined;
  if (position < args.length) return args[position];
  const last = args[args.length - 1];
  return last.variadic ? last : undefined;
}

/**
 * The completion of `current` after the words `before` (the program's name excluded). Not
 * filtered by the typed prefix: each shell matches in its own way.
 */
export function complete(program: Command, before: readonly string[], current: string): Completion {
  const state = readLine(program, before);
  if (state.pendingValue !== undefined) return optionValues(state.pendingValue, state);
  const equals = current.indexOf('=');
  if (current.startsWith('--') && equals > 0) {
    const option = findOption(state.command, current.slice(0, equals));
    if (option === undefined || !takesValue(option)) return words([]);
    const values = optionValues(option, state);
    const prefix = current.slice(0, equals + 1);
    if (values.services !== undefined) return { ...values, services: { ...values.services, prefix } };
    if (values.kind !== 'words') return values;
    return { ...values, candidates: values.candidates.map((candidate) => ({ ...candidate, value: `${prefix}${candidate.value}` })) };
  }
  if (current.startsWith('-')) return { kind: 'words', candidates: flagCandidates(state.command), noSpace: false };
  const subcommands = state.positionals === 0 ? visibleCommands(state.command) : [];
  if (subcommands.length > 0) {
    return {
      kind: 'words',
      candidates: subcommands.map((sub) => ({ value: sub.name(), description: sub.description() })),
      noSpace: false,
    };
  }
  const argument = argumentFor(state.command, state.positionals);
  if (argument === undefined) return words([]);
  return byName(argument.name(), argument.argChoices, state);
}
