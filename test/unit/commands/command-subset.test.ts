/**
 * The CLI builds only the command a command line names, and the whole tree whenever it cannot
 * tell; the one command it builds must be the same as in the whole tree.
 */
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli.js';
import { GLOBAL_FLAGS_WITH_VALUE } from '../../../src/launcher/code-cache.js';

function built(args: readonly string[]): string[] {
  return buildProgram(args).commands.map((command) => command.name());
}

/** What commander parses a command with: its arguments and every option's flags, default and choices. */
function shape(command: Command): unknown {
  return {
    name: command.name(),
    aliases: command.aliases(),
    arguments: command.registeredArguments.map((argument) => [argument.name(), argument.required, argument.variadic]),
    options: command.options.map((option) => [option.flags, option.defaultValue, option.argChoices, option.hidden]),
    commands: command.commands.map(shape),
  };
}

const all = built([]).length;

test('a command line naming a command must build that command alone', () => {
  expect(built(['ps'])).toEqual(['ps']);
  expect(built(['up', '-d', '--wait'])).toEqual(['up']);
  expect(built(['stack', 'deploy', '-c', 'a.yaml', 'x'])).toEqual(['stack']);
  expect(built(['unpause'])).toEqual(['unpause']);
});

test('global options before the command, with their values, must be skipped', () => {
  expect(built(['-f', 'ps', '--project-name', 'up', 'down'])).toEqual(['down']);
  expect(built(['--file=a.yaml', '--dry-run', '--ansi', 'never', 'logs'])).toEqual(['logs']);
  expect(built(['-fa.yaml', '-pdemo', 'config'])).toEqual(['config']);
  expect(built(['--parallel', '2', '--progress', 'plain', 'pull'])).toEqual(['pull']);
});

test('help, an alias, a misspelling, completion and unreadable flags must build every command', () => {
  for (const args of [[], ['--help'], ['ps', '-h'], ['help', 'ps'], ['convert'], ['pss'], ['__complete', 'bash', 'tscompose p'], ['--bogus', 'ps'], ['-v'], ['-dv', 'ps']]) {
    expect(built(args)).toHaveLength(all);
  }
});

test('each command built alone must be the same as in the whole tree', () => {
  const whole = buildProgram();
  expect(whole.commands.length).toBeGreaterThan(30);
  for (const command of whole.commands) {
    if (command.name() === '__complete') continue;
    const alone = buildProgram([command.name()]);
    // (A definition may add two: `completion` comes with the hidden `__complete`.)
    expect(alone.commands.length).toBeLessThanOrEqual(2);
    expect(shape(alone.commands.find((candidate) => candidate.name() === command.name())!)).toEqual(shape(command));
    expect(alone.options.map((option) => option.flags)).toEqual(whole.options.map((option) => option.flags));
  }
});

test("the launcher's list of global flags that take a value must be the program's", () => {
  // The code cache is keyed by the command word the launcher finds without commander.
  const withValue = buildProgram([]).options.filter((option) => option.required || option.optional);
  const flags = withValue.flatMap((option) => [option.short, option.long]).filter((flag): flag is string => flag !== undefined);
  expect([...GLOBAL_FLAGS_WITH_VALUE].sort()).toEqual(flags.sort());
});
