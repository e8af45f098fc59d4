/**
 * `__complete SHELL -- WORDS...`: the answer the completion scripts (scripts.ts) read. bash hands
 * over the raw line up to the cursor; zsh and fish hand over their words, from the program's name
 * to the word under the cursor (empty after a space).
 */
import type { Command } from 'commander';
import { complete, type Completion } from './candidates.js';
import type { Shell } from './scripts.js';

export interface AnswerEnvironment {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** bash's default COMP_WORDBREAKS: readline completes only the text after the last of these. */
const DEFAULT_WORDBREAKS = `"'><=;|&(:`;

/** Splits a command line as the shell would, enough to find the words (quotes and backslashes). */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < line.length) word += line[++index];
      else word += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < line.length) {
      word += line[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  // The word under the cursor, empty after a space.
  words.push(word);
  return words;
}

function directive(completion: Completion): string {
  return `${completion.kind}${completion.noSpace ? ' nospace' : ''}`;
}

/** Reads the service names a completion asks for; the YAML parser is loaded only then. */
async function withServices(completion: Completion, environment: AnswerEnvironment): Promise<Completion> {
  if (completion.services === undefined) return completion;
  const { files, projectDirectory, prefix, suffix } = completion.services;
  const { serviceNames } = await import('./service-names.js');
  const names = serviceNames({ cwd: environment.cwd, env: environment.env, files, ...(projectDirectory === undefined ? {} : { projectDirectory }) });
  return { kind: 'words', candidates: names.map((name) => ({ value: `${prefix}${name}${suffix}` })), noSpace: completion.noSpace };
}

export async function answer(program: Command, shell: Shell, args: readonly string[], environment: AnswerEnvironment): Promise<string> {
  // Every shell hands over the program's own name first.
  const words = (shell === 'bash' ? splitLine(args.join(' ')) : [...args]).slice(1);
  const current = words.length > 0 ? words[words.length - 1] : '';
  const completion = await withServices(complete(program, words.slice(0, -1), current), environment);
  const lines = [directive(completion)];
  if (completion.kind === 'words') {
    if (shell === 'bash') {
      const breaks = environment.env.COMP_WORDBREAKS ?? DEFAULT_WORDBREAKS;
      const cut = Math.max(...[...breaks].map((char) => current.lastIndexOf(char))) + 1;
      for (const { value } of completion.candidates) if (value.startsWith(current)) lines.push(value.slice(cut));
    } else {
      for (const { value, description } of completion.candidates) {
        const text = description?.replace(/\s+/g, ' ') ?? '';
        lines.push(shell === 'zsh' ? `${value.replace(/:/g, '\\:')}${text ? `:${text}` : ''}` : `${value}${text ? `\t${text}` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
