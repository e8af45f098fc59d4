/**
 * The command-line reference (docs/cli.md) rendered from the commands' own commander definitions,
 * the same data `--help` prints, so the page cannot describe a flag the CLI does not have. Written
 * by `npm run docs:cli`; a unit test fails when the page and the definitions disagree.
 */
import type { Command, Option } from 'commander';

export const GENERATED_START = '<!-- Generated from the command definitions by `npm run docs:cli`; edit those, not this part. -->';
export const GENERATED_END = '<!-- End of the generated reference. -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function choices(option: Option): string {
  return option.argChoices ? ` (${option.argChoices.map((choice) => `\`${choice}\``).join(', ')})` : '';
}

function defaultOf(option: Option): string {
  if (option.negate || option.defaultValue === undefined || option.defaultValue === false) return '';
  return option.defaultValueDescription ?? `\`${JSON.stringify(option.defaultValue)}\``;
}

function optionTable(options: readonly Option[]): string[] {
  const visible = options.filter((option) => !option.hidden);
  if (visible.length === 0) return [];
  return [
    '| option | description | default |',
    '|---|---|---|',
    ...visible.map((option) => `| \`${cell(option.flags)}\` | ${cell(option.description)}${cell(choices(option))} | ${cell(defaultOf(option))} |`),
    '',
  ];
}

function anchor(command: Command): string {
  return `tscompose-${command.name()}`;
}

function commandSection(command: Command): string[] {
  const aliases = command.aliases();
  const args = command.registeredArguments;
  return [
    `### tscompose ${command.name()}`,
    '',
    `${command.description()}${aliases.length > 0 ? ` (alias: ${aliases.map((alias) => `\`${alias}\``).join(', ')})` : ''}.`,
    '',
    `\`tscompose ${command.name()} ${command.usage()}\``,
    '',
    ...(args.length > 0
      ? ['| argument | description |', '|---|---|', ...args.map((arg) => `| \`${arg.name()}${arg.variadic ? '...' : ''}\` | ${cell(arg.description)}${arg.required ? '' : ' (optional)'} |`), '']
      : []),
    ...optionTable(command.options),
  ];
}

/** The generated part of docs/cli.md, markers included. */
export function renderCliReference(program: Command): string {
  const commands = program.commands;
  const lines = [
    GENERATED_START,
    '',
    '## Global options',
    '',
    `Given before the command: \`tscompose [options] COMMAND\`.`,
    '',
    ...optionTable(program.options),
    '## Commands',
    '',
    '| command | what it does |',
    '|---|---|',
    ...commands.map((command) => `| [\`${command.name()}\`](#${anchor(command)}) | ${cell(command.description())} |`),
    '',
    ...commands.flatMap(commandSection),
    GENERATED_END,
  ];
  return `${lines.join('\n')}\n`;
}

/** Replaces the generated part of a page (or appends it when the page has none yet). */
export function withGeneratedReference(page: string, reference: string): string {
  const start = page.indexOf(GENERATED_START);
  const end = page.indexOf(GENERATED_END);
  if (start < 0 || end < start) return `${page.trimEnd()}\n\n${reference}`;
  return `${page.slice(0, start)}${reference.trimEnd()}${page.slice(end + GENERATED_END.length)}`;
}
