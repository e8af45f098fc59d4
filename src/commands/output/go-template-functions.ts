/**
 * The functions a `--format` template can call: Go's builtins (and, or, not, len, index, slice,
 * eq, ne, lt, le, gt, ge, print, printf, println, html, js, urlquery) and the Docker CLI's (json,
 * split, join, title, lower, upper, pad, truncate). A wrong argument is an error, as in Go.
 */
import { goQuote } from './go-json.js';
import { GoMap, GoNilSlice, goTypeName, isTrue, jsonOf, printValue, type GoValue } from './go-values.js';

export type GoFunction = (...args: GoValue[]) => GoValue;

export class FunctionError extends Error {}

function expectArgs(name: string, args: readonly GoValue[], count: number, variadic = false): void {
  if (variadic ? args.length < count : args.length !== count) {
    throw new FunctionError(`wrong number of args for ${name}: want ${variadic ? 'at least ' : ''}${count} got ${args.length}`);
  }
}

function stringArg(name: string, value: GoValue): string {
  if (typeof value !== 'string') throw new FunctionError(`wrong type for value; expected string; got ${goTypeName(value)} (in ${name})`);
  return value;
}

function intArg(name: string, value: GoValue): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new FunctionError(`wrong type for value; expected int; got ${goTypeName(value)} (in ${name})`);
  return value;
}

function isBasic(value: GoValue): value is string | number | boolean | null | undefined {
  return value === null || value === undefined || typeof value !== 'object';
}

function compare(name: string, a: GoValue, b: GoValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (!isBasic(a) || !isBasic(b)) throw new FunctionError(`error calling ${name}: invalid type for comparison`);
  throw new FunctionError(`error calling ${name}: incompatible types for comparison`);
}

function equal(a: GoValue, b: GoValue): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (!isBasic(a) || !isBasic(b)) throw new FunctionError('error calling eq: non-comparable types');
  if (typeof a !== typeof b) throw new FunctionError('error calling eq: incompatible types for comparison');
  return a === b;
}

function length(value: GoValue): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (value instanceof GoNilSlice) return 0;
  if (value instanceof GoMap) return value.entries.size;
  throw new FunctionError(`error calling len: len of type ${goTypeName(value)}`);
}

function index(item: GoValue, ...keys: GoValue[]): GoValue {
  let current = item;
  for (const key of keys) {
    if (Array.isArray(current) || current instanceof GoNilSlice || typeof current === 'string') {
      const list = current instanceof GoNilSlice ? [] : current;
      const at = intArg('index', key);
      if (at < 0 || at >= list.length) throw new FunctionError(`error calling index: index out of range: ${at}`);
      current = typeof list === 'string' ? Buffer.from(list)[at] : list[at];
    } else if (current instanceof GoMap) {
      current = current.entries.get(stringArg('index', key)) ?? '';
    } else {
      throw new FunctionError(`error calling index: can't index item of type ${goTypeName(current)}`);
    }
  }
  return current;
}

function slice(item: GoValue, ...bounds: GoValue[]): GoValue {
  const list = item instanceof GoNilSlice ? [] : item;
  if (typeof list !== 'string' && !Array.isArray(list)) throw new FunctionError(`error calling slice: can't slice item of type ${goTypeName(item)}`);
  const from = bounds.length > 0 ? intArg('slice', bounds[0]) : 0;
  const to = bounds.length > 1 ? intArg('slice', bounds[1]) : list.length;
  if (from < 0 || to < from || to > list.length) throw new FunctionError(`error calling slice: index out of range: ${to > list.length ? to : from}`);
  return list.slice(from, to);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: readonly GoValue[]): string {
  let result = '';
  args.forEach((arg, position) => {
    if (position > 0 && typeof arg !== 'string' && typeof args[position - 1] !== 'string') result += ' ';
    result += printValue(arg);
  });
  return result;
}

function badVerb(verb: string, value: GoValue): string {
  return `%!${verb}(${goTypeName(value)}=${printValue(value)})`;
}

/** One `%...` directive of fmt.Sprintf. */
function formatOne(verb: string, flags: string, width: number | undefined, precision: number | undefined, value: GoValue): string {
  let text: string;
  const numeric = typeof value === 'number';
  switch (verb) {
    case 'v':
      text = printValue(value);
      break;
    case 's':
      text = typeof value === 'string' ? value : isBasic(value) && value !== null && value !== undefined ? badVerb(verb, value) : printValue(value);
      if (precision !== undefined && typeof value === 'string') text = [...text].slice(0, precision).join('');
      break;
    case 'q':
      if (typeof value === 'string') text = goQuote(precision === undefined ? value : [...value].slice(0, precision).join(''));
      else if (numeric && Number.isInteger(value)) text = `'${String.fromCodePoint(value)}'`;
      else text = badVerb(verb, value);
      break;
    case 'd':
      text = numeric && Number.isInteger(value) ? String(Math.abs(value)) : badVerb(verb, value);
      if (numeric && Number.isInteger(value)) text = (value < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + text;
      break;
    case 'x':
    case 'X': {
      if (typeof value === 'string') text = Buffer.from(value).toString('hex');
      else if (numeric && Number.isInteger(value)) text = (value < 0 ? '-' : '') + Math.abs(value).toString(16);
      else text = badVerb(verb, value);
      if (verb === 'X') text = text.toUpperCase();
      break;
    }
    case 'o':
    case 'b':
      text = numeric && Number.isInteger(value) ? value.toString(verb === 'o' ? 8 : 2) : badVerb(verb, value);
      break;
    case 'c':
      text = numeric && Number.isInteger(value) ? String.fromCodePoint(value) : badVerb(verb, value);
      break;
    case 't':
      text = typeof value === 'boolean' ? String(value) : badVerb(verb, value);
      break;
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (!numeric) {
        text = badVerb(verb, value);
        break;
      }
      const lower = verb.toLowerCase();
      if (lower === 'f') text = value.toFixed(precision ?? 6);
      else if (lower === 'e') text = value.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      else text = precision === undefined ? printValue(value) : String(Number(value.toPrecision(precision)));
      if (value >= 0 && flags.includes('+')) text = `+${text}`;
      if (verb === 'E' || verb === 'G') text = text.toUpperCase();
      break;
    }
    default:
      text = `%!${verb}(${goTypeName(value)}=${printValue(value)})`;
  }
  if (width !== undefined && [...text].length < width) {
    const fill = width - [...text].length;
    if (flags.includes('-')) text += ' '.repeat(fill);
    else if (flags.includes('0') && numeric && verb !== 's' && verb !== 'v' && verb !== 'q') {
      const sign = /^[+-]/.test(text) ? text[0] : '';
      text = sign + '0'.repeat(fill) + text.slice(sign.length);
    } else text = ' '.repeat(fill) + text;
  }
  return text;
}

/** fmt.Sprintf with the verbs a template needs (%v %s %q %d %x %f %e %g %t %c, flags, width, precision). */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let next = 0;
  const result = format.replace(/%([-+# 0]*)(\d+|\*)?(?:\.(\d*|\*))?([a-zA-Z%])/g, (_whole, flags: string, widthText?: string, precisionText?: string, verb?: string) => {
    if (verb === '%') return '%';
    const width = widthText === '*' ? Number(args[next++]) : widthText === undefined ? undefined : Number(widthText);
    const precision = precisionText === '*' ? Number(args[next++]) : precisionText === undefined ? undefined : Number(precisionText || '0');
    if (next >= args.length) return `%!${verb}(MISSING)`;
    return formatOne(verb!, flags, width, precision, args[next++]);
  });
  if (next < args.length) {
    return `${result}%!(EXTRA ${args
      .slice(next)
      .map((arg) => `${goTypeName(arg)}=${printValue(arg)}`)
      .join(', ')})`;
  }
  return result;
}

const HTML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' };

export const TEMPLATE_FUNCTIONS: Readonly<Record<string, GoFunction>> = {
  and: (...args) => {
    expectArgs('and', args, 1, true);
    return args.find((arg) => !isTrue(arg)) ?? args[args.length - 1];
  },
  or: (...args) => {
    expectArgs('or', args, 1, true);
    return args.find((arg) => isTrue(arg)) ?? args[args.length - 1];
  },
  not: (...args) => {
    expectArgs('not', args, 1);
    return !isTrue(args[0]);
  },
  len: (...args) => {
    expectArgs('len', args, 1);
    return length(args[0]);
  },
  index: (...args) => {
    expectArgs('index', args, 1, true);
    return index(args[0], ...args.slice(1));
  },
  slice: (...args) => {
    expectArgs('slice', args, 1, true);
    return slice(args[0], ...args.slice(1));
  },
  eq: (...args) => {
    expectArgs('eq', args, 2, true);
    return args.slice(1).some((other) => equal(args[0], other));
  },
  ne: (...args) => {
    expectArgs('ne', args, 2);
    return !equal(args[0], args[1]);
  },
  lt: (...args) => (expectArgs('lt', args, 2), compare('lt', args[0], args[1]) < 0),
  le: (...args) => (expectArgs('le', args, 2), compare('le', args[0], args[1]) <= 0),
  gt: (...args) => (expectArgs('gt', args, 2), compare('gt', args[0], args[1]) > 0),
  ge: (...args) => (expectArgs('ge', args, 2), compare('ge', args[0], args[1]) >= 0),
  print: (...args) => sprint(args),
  println: (...args) => `${args.map(printValue).join(' ')}\n`,
  printf: (...args) => {
    expectArgs('printf', args, 1, true);
    return sprintf(stringArg('printf', args[0]), args.slice(1));
  },
  html: (...args) => sprint(args).replace(/[<>&'"\0]/g, (char) => HTML_ESCAPES[char]),
  js: (...args) =>
    sprint(args).replace(/[\\'"<>&=\n\r\t]/g, (char) => {
      const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return named[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    }),
  urlquery: (...args) => encodeURIComponent(sprint(args)).replace(/%20/g, '+'),
  json: (...args) => {
    expectArgs('json', args, 1);
    return jsonOf(args[0]);
  },
  split: (...args) => {
    expectArgs('split', args, 2);
    return stringArg('split', args[0]).split(stringArg('split', args[1]));
  },
  join: (...args) => {
    expectArgs('join', args, 2);
    const list = args[0] instanceof GoNilSlice ? [] : args[0];
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
      throw new FunctionError(`wrong type for value; expected []string; got ${goTypeName(args[0])} (in join)`);
    }
    return list.join(stringArg('join', args[1]));
  },
  title: (...args) => {
    expectArgs('title', args, 1);
    return stringArg('title', args[0]).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_whole, before: string, letter: string) => before + letter.toUpperCase());
  },
  lower: (...args) => {
    expectArgs('lower', args, 1);
    return stringArg('lower', args[0]).toLowerCase();
  },
  upper: (...args) => {
    expectArgs('upper', args, 1);
    return stringArg('upper', args[0]).toUpperCase();
  },
  pad: (...args) => {
    expectArgs('pad', args, 3);
    return `${' '.repeat(Math.max(0, intArg('pad', args[1])))}${stringArg('pad', args[0])}${' '.repeat(Math.max(0, intArg('pad', args[2])))}`;
  },
  truncate: (...args) => {
    expectArgs('truncate', args, 2);
    const characters = [...stringArg('truncate', args[0])];
    const max = intArg('truncate', args[1]);
    return characters.length > max ? characters.slice(0, max).join('') : characters.join('');
  },
};

/**
 * What the Docker CLI calls when it prints a table's header: the header row is the template run
 * on the column names, so its formatting functions hand the name back unchanged.
 */
export const HEADER_FUNCTIONS: Readonly<Record<string, GoFunction>> = {
  ...TEMPLATE_FUNCTIONS,
  json: (value) => stringArg('json', value),
  split: (value) => stringArg('split', value),
  join: (value) => stringArg('join', value),
  title: (value) => stringArg('title', value),
  lower: (value) => stringArg('lower', value),
  upper: (value) => stringArg('upper', value),
  pad: (value) => stringArg('pad', value),
  truncate: (value) => stringArg('truncate', value),
};

