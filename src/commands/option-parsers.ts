/** Parsers and option shapes that several commands' flags share. */
import { Option } from 'commander';
import { UsageError } from '../errors.js';

/** Collects a repeatable option (`-f a -f b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--orphans=false` style booleans (a bare flag means true). */
export function parseBoolean(value: string): boolean {
  if (/^(?:true|1)$/i.test(value)) return true;
  if (/^(?:false|0)$/i.test(value)) return false;
  throw new UsageError(`invalid boolean: ${value}`);
}

export function parseInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`invalid number: ${value}`);
  return parsed;
}

/** Seconds for -t / --timeout and --wait-timeout: a whole number (Compose rejects anything else). */
export function parseSeconds(value: string): number {
  if (!/^-?[0-9]+$/.test(value)) throw new UsageError(`invalid number of seconds: "${value}"`);
  return Number(value);
}

/**
 * An option whose name starts with `--no-` but that takes a value (Compose's `--no-attach SVC`):
 * commander would read it as the negation of `--attach`.
 */
export function valueOption(flags: string, description: string, parse: (value: string, previous: string[]) => string[]): Option {
  const option = new Option(flags, description).argParser(parse);
  option.negate = false;
  return option;
}
