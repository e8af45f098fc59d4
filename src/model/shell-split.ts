/**
 * Splits a `command` / `entrypoint` / healthcheck string into words the way Compose does (the Go
 * shellwords library, without environment or backtick expansion):
 * - blanks separate words; single quotes keep everything literally; double quotes keep blanks;
 * - a backslash outside single quotes makes the next character literal (`\t` is a `t`);
 * - `$(...)` and backquoted text stay one word, unexpanded;
 * - an unquoted `;`, `&`, `|`, `<` or `>` ends the command: the rest is dropped, exactly as
 *   Compose drops it (`echo a && echo b` runs `echo a`), and `2>` drops the `2`.
 */

import { scalarString, stringList } from './scalars.js';

export type ShellSplit = { readonly words: string[] } | { readonly error: string };

const BLANKS = new Set([' ', '\t', '\r', '\n']);
const CONTROL = new Set([';', '&', '|', '<', '>']);

export function shellSplitChecked(line: string): ShellSplit {
  const words: string[] = [];
  let word = '';
  /** Whether a word is under way (a quoted empty string counts). */
  let started = false;
  let escaped = false;
  let single = false;
  let double = false;
  let backquote = false;
  let dollarParen = false;

  for (const char of line) {
    if (escaped) {
      word += char;
      escaped = false;
      started = true;
      continue;
    }
    if (char === '\\') {
      if (single) word += char;
      else escaped = true;
      continue;
    }
    if (BLANKS.has(char)) {
      if (single || double || backquote || dollarParen) word += char;
      else if (started) {
        words.push(word);
        word = '';
        started = false;
      }
      continue;
    }
    if (char === '`' && !single && !double && !dollarParen) {
      backquote = !backquote;
    } else if (char === ')' && !single && !double && !backquote) {
      dollarParen = !dollarParen;
    } else if (char === '(' && !single && !double && !backquote) {
      if (!dollarParen && word.endsWith('$')) {
        dollarParen = true;
        word += char;
        started = true;
        continue;
      }
      return { error: 'invalid command line string' };
    } else if (char === '"' && !single && !dollarParen) {
      if (double) started = true;
      double = !double;
      continue;
    } else if (char === "'" && !double && !dollarParen) {
      if (single) started = true;
      single = !single;
      continue;
    } else if (CONTROL.has(char) && !single && !double && !backquote && !dollarParen) {
      // `2>file`: the digits are a file descriptor, not an argument.
      if (char === '>' && /^\d+$/.test(word)) started = false;
      break;
    }
    word += char;
    started = true;
  }
  if (started) words.push(word);
  if (escaped || single || double || backquote || dollarParen) return { error: 'invalid command line string' };
  return { words };
}

/**
 * Total version for the model (input was validated before): an unbalanced quote keeps what was
 * read so far instead of failing.
 */
export function shellSplit(line: string): string[] {
  const result = shellSplitChecked(line);
  if ('words' in result) return result.words;
  return line.split(/[ \t\r\n]+/).filter((word) => word !== '');
}

/** `command`, `entrypoint`, exec hooks: a list is kept, a string is shell-split. */
export function toCommand(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return stringList(value);
  const text = scalarString(value);
  return text === undefined ? undefined : shellSplit(text);
}
