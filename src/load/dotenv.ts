/**
 * The `.env` / `env_file` format, as Compose reads it:
 * - `KEY=VALUE` (or `KEY: VALUE`), an optional `export ` prefix, `#` comment lines;
 * - unquoted values end at the line end, ` #` starts an inline comment, trailing blanks go;
 * - double-quoted values may span lines, understand `\n \t \r \\ \" \$ \0NNN` and are
 *   interpolated; single-quoted values are literal;
 * - unquoted values are interpolated too; `KEY` alone takes the value from the environment
 *   (and is left out when it is unset);
 * - while expanding, the surrounding environment wins over keys defined earlier in the file
 *   (what Compose does).
 */
import { substitute, SubstitutionError, type Lookup, type OnUnset } from './interpolate.js';

export interface DotenvEntry {
  readonly value: string;
  /** 1-based position of the key. */
  readonly line: number;
  readonly col: number;
}

/** A line that cannot be parsed; `line` is 1-based. */
export class DotenvError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-7]{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

function expandEscapes(value: string): string {
  if (value.indexOf('\\') < 0) return value;
  return value.replace(ESCAPE, (match) => {
    const c = match[1];
    // `\$` is a literal dollar; `$$` is how the interpolation below spells one.
    if (c === '$') return '$$';
    if (c === '0') return String.fromCharCode(parseInt(match.slice(1), 8));
    return SIMPLE_ESCAPES[c] ?? match;
  });
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\u0085' || c === '\u00a0';
}

function isKeyChar(c: string): boolean {
  return /[\p{L}\p{N}_.\-[\]]/u.test(c);
}

/**
 * Parses a whole env file. `lookup` is the surrounding environment (shell and .env); unset
 * variables used in values are reported through `onUnset`. Throws DotenvError for a malformed
 * line, SubstitutionError (with `line`) for a bad `${...}`.
 */
export function parseDotenv(text: string, lookup: Lookup, onUnset: OnUnset): Map<string, DotenvEntry> {
  const out = new Map<string, DotenvEntry>();
  const resolve: Lookup = (name) => lookup(name) ?? out.get(name)?.value;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const expand = (value: string, at: number): string => {
    try {
      return substitute(value, resolve, onUnset);
    } catch (error) {
      if (error instanceof SubstitutionError) throw new DotenvError(`line ${at}: ${error.message}`, at, 1);
      throw error;
    }
  };

  while (pos < n) {
    const c = text[pos];
    if (c === '\n') {
      line++;
      pos++;
      lineStart = pos;
      continue;
    }
    if (isBlank(c)) {
      pos++;
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', pos);
      pos = end < 0 ? n : end;
      continue;
    }
    // A statement: [export ]KEY (= | : | newline) VALUE
    if (text.startsWith('export', pos) && (text[pos + 6] === ' ' || text[pos + 6] === '\t')) {
      pos += 6;
      while (pos < n && isBlank(text[pos])) pos++;
    }
    const keyLine = line;
    const keyCol = pos - lineStart + 1;
    const keyStart = pos;
    let terminator = '';
    while (pos < n) {
      const k = text[pos];
      if (k === '=' || k === ':' || k === '\n') {
        terminator = k;
        break;
      }
      if (!isBlank(k) && !isKeyChar(k)) {
        throw new DotenvError(`line ${line}: unexpected character ${JSON.stringify(k)} in variable name`, line, pos - lineStart + 1);
      }
      pos++;
    }
    const key = text.slice(keyStart, pos).replace(/\s+$/, '');
    if (/\s/.test(key)) throw new DotenvError(`line ${line}: key cannot contain a space`, keyLine, keyCol);
    if (terminator === '\n' || terminator === '') {
      // `KEY` alone: inherited from the environment when it is set there.
      const inherited = lookup(key);
      if (key !== '' && inherited !== undefined) out.set(key, { value: inherited, line: keyLine, col: keyCol });
      continue;
    }
    pos++; // past '=' or ':'
    while (pos < n && isBlank(text[pos])) pos++;
    const quote = text[pos];
    let value: string;
    if (quote === '"' || quote === "'") {
      let end = pos + 1;
      let newlines = 0;
      for (; end < n; end++) {
        const q = text[end];
        if (q === '\n') newlines++;
        if (q === quote && text[end - 1] !== '\\') break;
      }
      if (end >= n) {
        const eol = text.indexOf('\n', pos);
        throw new DotenvError(`line ${line}: unterminated quoted value ${text.slice(pos, eol < 0 ? n : eol)}`, line, pos - lineStart + 1);
      }
      const raw = text.slice(pos + 1, end);
      value = quote === '"' ? expand(expandEscapes(raw), keyLine) : raw;
      if (newlines > 0) {
        line += newlines;
        lineStart = text.lastIndexOf('\n', end) + 1;
      }
      pos = end + 1;
    } else {
      const eol = text.indexOf('\n', pos);
      let raw = text.slice(pos, eol < 0 ? n : eol);
      const comment = raw.indexOf(' #');
      if (comment >= 0) raw = raw.slice(0, comment);
      value = expand(raw.replace(/\s+$/, ''), keyLine);
      pos = eol < 0 ? n : eol;
    }
    out.set(key, { value, line: keyLine, col: keyCol });
  }
  return out;
}
