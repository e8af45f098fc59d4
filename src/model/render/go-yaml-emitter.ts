/**
 * Writes plain data (mappings, sequences, scalars) as YAML laid out exactly like Go's yaml.v3,
 * the encoder Compose prints with: 2-space indentation, sequences indented under their key,
 * `{}` / `[]` for empty collections, no line folding, and yaml.v3's choice of scalar style
 * (go-yaml-style.ts) and escapes. The data is already in print order.
 *
 * Why not the yaml package's stringify: its layout and quoting differ from yaml.v3 in many small
 * ways (each would need a per-node override), and building its document model costs about half a
 * second for a 500-service project; this writer does the same in milliseconds. Reading YAML
 * still goes through the yaml package.
 */
import { goScalarStyle } from './go-yaml-style.js';
import { goFloatText, isGoInteger } from '../scalars.js';

export function emitGoYaml(data: unknown): string {
  const lines: string[] = [];
  if (isMapping(data) && Object.keys(data).length > 0) writeMapping(data, 0, lines);
  else if (Array.isArray(data) && data.length > 0) writeSequence(data, 0, lines);
  else lines.push(inlineValue(data, 0) ?? '');
  return `${lines.join('\n')}\n`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a value that fits after `key: ` or `- `, or undefined for a non-empty collection. */
function inlineValue(value: unknown, indent: number): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (isMapping(value)) return Object.keys(value).length === 0 ? '{}' : undefined;
  if (typeof value === 'string') return scalarText(value, indent, false);
  if (typeof value === 'number') return formatGoNumber(value);
  return String(value);
}

function writeMapping(mapping: Record<string, unknown>, indent: number, lines: string[], firstPrefix?: string): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const [key, value] of Object.entries(mapping)) {
    const start = first && firstPrefix !== undefined ? firstPrefix : pad;
    first = false;
    const keyText = scalarText(key, indent, true);
    const inline = inlineValue(value, indent + 2);
    if (inline !== undefined) {
      lines.push(`${start}${keyText}: ${inline}`);
    } else if (Array.isArray(value)) {
      lines.push(`${start}${keyText}:`);
      writeSequence(value, indent + 2, lines);
    } else {
      lines.push(`${start}${keyText}:`);
      writeMapping(value as Record<string, unknown>, indent + 2, lines);
    }
  }
}

function writeSequence(sequence: unknown[], indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of sequence) {
    const inline = inlineValue(item, indent + 2);
    if (inline !== undefined) lines.push(`${pad}- ${inline}`);
    else if (Array.isArray(item)) {
      // A sequence in a sequence starts on the dash's line: `- - a`.
      const nested: string[] = [];
      writeSequence(item, indent + 2, nested);
      nested[0] = `${pad}- ${nested[0].trimStart()}`;
      lines.push(...nested);
    } else writeMapping(item as Record<string, unknown>, indent + 2, lines, `${pad}- `);
  }
}

/** A string in the style yaml.v3 picks; block scalars continue on the following lines. */
function scalarText(text: string, indent: number, key: boolean): string {
  switch (goScalarStyle(text, key)) {
    case 'PLAIN':
      return text;
    case 'QUOTE_SINGLE':
      return `'${text.replaceAll("'", "''")}'`;
    case 'QUOTE_DOUBLE':
      return doubleQuoted(text);
    case 'BLOCK_LITERAL':
      return literalBlock(text, indent);
  }
}

/** `|`, with libyaml's indentation and chomping indicators, then the lines indented. */
function literalBlock(text: string, indent: number): string {
  let header = '|';
  if (text.startsWith(' ') || text.startsWith('\n')) header += '2';
  if (!text.endsWith('\n')) header += '-';
  else if (text === '\n' || text.endsWith('\n\n')) header += '+';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const pad = ' '.repeat(indent);
  return [header, ...body.split('\n').map((line) => (line === '' ? '' : `${pad}${line}`))].join('\n');
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\u0085': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

/** libyaml's double-quoted style: printable characters as they are, the rest escaped. */
function doubleQuoted(text: string): string {
  let out = '"';
  for (const char of text) {
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const code = char.codePointAt(0) as number;
    const printable =
      (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || code >= 0x10000;
    if (printable) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `${out}"`;
}

/**
 * Numbers as yaml.v3 prints them: integers in full; floats with strconv's shortest 'g' format,
 * which switches to an exponent below 1e-4 and from 1e6 on (`1.2345675e+06`).
 */
export function formatGoNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  return isGoInteger(value) ? String(value) : goFloatText(value);
}
