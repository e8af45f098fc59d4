/**
 * How Go's yaml.v3 (which Compose prints with) writes a string scalar, so our YAML matches the
 * reference byte for byte: plain when the text reads back as the same string under Go's rules,
 * double-quoted when it would read back as something else (`"1"`, `"yes"`, `"22:22"`, `""`),
 * single-quoted when plain is impossible (`'*.log'`, `'  padded'`), a literal block for
 * multi-line text, and double quotes whenever the other styles cannot hold the text.
 */

import { resolveGoScalar } from '../../load/go-scalars.js';

export type GoScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL';

/** YAML 1.1 booleans that yaml.v3 still quotes on output. */
const OLD_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const RESERVED = new Set([
  '~', 'null', 'Null', 'NULL',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN',
  '<<',
]);
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Whether yaml.v3 would read the plain text back as something other than a string (the same rules its decoder applies). */
function readsAsNonString(text: string): boolean {
  if (text === '' || RESERVED.has(text) || OLD_BOOLEANS.has(text) || BASE60_FLOAT.test(text)) return true;
  return resolveGoScalar(text) !== undefined;
}

interface Analysis {
  readonly blockPlain: boolean;
  readonly singleQuoted: boolean;
  readonly block: boolean;
}

const FIRST_INDICATORS = new Set([...'#,[]{}&*!|>\'"%@`']);

function isBreak(char: string | undefined): boolean {
  return char === '\n' || char === '\r' || char === '\u0085' || char === '\u2028' || char === '\u2029';
}

function isBlankOrEnd(char: string | undefined): boolean {
  return char === undefined || char === ' ' || char === '\t' || isBreak(char);
}

function isPrintable(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    code === 0x85 ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    code >= 0x10000
  );
}

/** libyaml's scalar analysis, reduced to what block-context output needs. */
function analyze(text: string): Analysis {
  const chars = [...text];
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let special = false;
  let tabs = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  chars.forEach((char, index) => {
    const followedByWhitespace = isBlankOrEnd(chars[index + 1]);
    const first = index === 0;
    const last = index === chars.length - 1;
    if (first) {
      if (FIRST_INDICATORS.has(char)) blockIndicators = true;
      if ((char === '?' || char === ':') && followedByWhitespace) blockIndicators = true;
      if (char === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (char === ':' && followedByWhitespace) blockIndicators = true;
      if (char === '#' && precededByWhitespace) blockIndicators = true;
    }
    // yaml.v3 keeps tabs only in literal blocks: they rule out plain and single-quoted text.
    if (char === '\t') tabs = true;
    else if (!isPrintable(char)) special = true;
    if (isBreak(char)) lineBreaks = true;
    if (char === ' ') {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(char)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(char);
  });
  let blockPlain = true;
  let singleQuoted = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = singleQuoted = false;
  if (spaceBreak || special) blockPlain = singleQuoted = block = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  if (tabs) blockPlain = singleQuoted = false;
  return { blockPlain, singleQuoted, block };
}

/** Text that is plain unless it spells another type: no indicator, blank, colon or `#`. */
const SIMPLE = /^[A-Za-z_/][A-Za-z0-9_./=@+-]*$/;

/** The style yaml.v3 uses for a string in block context (`key` for mapping keys). */
export function goScalarStyle(text: string, key = false): GoScalarStyle {
  if (SIMPLE.test(text)) return readsAsNonString(text) ? 'QUOTE_DOUBLE' : 'PLAIN';
  const analysis = analyze(text);
  if (text.includes('\n')) return analysis.block && !key ? 'BLOCK_LITERAL' : 'QUOTE_DOUBLE';
  if (readsAsNonString(text)) return 'QUOTE_DOUBLE';
  if (analysis.blockPlain) return 'PLAIN';
  return analysis.singleQuoted ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
}
