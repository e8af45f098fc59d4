/**
 * The YAML fast path (src/load/fast-yaml.ts) must build exactly the tree the full parser builds,
 * positions included, whenever it takes a text at all; and it must take the files compose
 * projects are usually written as, or it is no use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSimpleYaml } from '../../../src/load/fast-yaml.js';
import { entryLocation, selfLocation } from '../../../src/load/located.js';
import { parseYamlFully } from '../../../src/load/parse-yaml.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Values, kinds and every recorded position of a located tree, as plain data to compare. */
function snapshot(value: unknown): unknown {
  if (Array.isArray(value)) {
    return { self: selfLocation(value), items: value.map((item, index) => [snapshot(item), entryLocation(value, index, 'value'), entryLocation(value, index, 'key')]) };
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return {
      self: selfLocation(value),
      entries: Object.keys(record).map((key) => [key, snapshot(record[key]), entryLocation(value, key, 'key'), entryLocation(value, key, 'value')]),
    };
  }
  return [typeof value, value];
}

/** Compares the two paths on `text`; returns whether the fast path took it. */
function agree(text: string, file = 'c.yaml'): boolean {
  const fast = parseSimpleYaml(text, file);
  if (fast === undefined) return false;
  const full = parseYamlFully(text, file);
  expect({ text, problems: full.problems, documents: full.documents.length }).toEqual({ text, problems: [], documents: 1 });
  expect({ text, tree: snapshot(fast) }).toEqual({ text, tree: snapshot(full.documents[0]) });
  return true;
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : yamlFiles(file);
    return /\.ya?ml$/.test(entry.name) ? [file] : [];
  });
}

/** A service as compose files write them, in the usual styles. */
function serviceFile(count: number): string {
  const lines = ['name: demo', 'services:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  svc${i}:  # service ${i}`,
      `    image: "registry.example/app-${i % 7}:\${TAG:-1.0}"`,
      `    command: ["sh", "-c", 'serve --port 80 --name svc${i}']`,
      '    ports:',
      `    - "${10000 + i}:80"`,
      '    - target: 81',
      '      published: 8081',
      '    environment:',
      '      MODE: production',
      `      INSTANCE: "${i}"`,
      '      EMPTY:',
      `    labels: [team=t${i % 10}, "tier=web"]`,
      '    healthcheck: {test: "wget -q -O- http://localhost/ || exit 1", interval: 30s, retries: 3}',
      '    mem_limit: 256m',
      '',
      `    depends_on: {svc${Math.max(0, i - 1)}: {condition: service_started}}`,
    );
  }
  lines.push('volumes:', '  data:', '  cache: {}', '# the end');
  return `${lines.join('\n')}\n`;
}

test('the fast path must build the same located tree as the full parser for every YAML file of the repository', () => {
  const files = [...yamlFiles(path.join(root, 'test', 'fixtures')), ...yamlFiles(path.join(root, 'examples'))];
  expect(files.length).toBeGreaterThan(100);
  let taken = 0;
  for (const file of files) if (agree(fs.readFileSync(file, 'utf8'), file)) taken++;
  // Most of them are plain compose files: the fast path must be the usual path.
  expect(taken).toBeGreaterThan(files.length / 2);
});

test('the fast path must take a typical compose file and agree with the full parser on it', () => {
  expect(agree(serviceFile(30))).toBe(true);
});

test('the fast path must leave everything outside its subset to the full parser', () => {
  const outside = [
    'a: &x 1\nb: *x\n',
    'a: !reset []\n',
    'x: {a: 1}\ny:\n  <<: {b: 2}\n',
    'a: |\n  text\n',
    'a: >\n  text\n',
    'a: plain\n  continued\n',
    'a: "two\n  lines"\n',
    'a: [1,\n  2]\n',
    'a: 1\n---\nb: 2\n',
    '%YAML 1.2\n---\na: 1\n',
    'a:\tb\n',
    'a: 1\r\nb: 2\r\n',
    '\ufeffa: 1\n',
    '1: x\n',
    'true: x\n',
    '~: x\n',
    '2001-12-14: x\n',
    'a: 1\na: 2\n',
    'a: {b: 1, b: 2}\n',
    'a: b: c\n',
    'a: .inf\n',
    'a: "\\U0001F600"\n',
    '- a\n- b\n',
    '',
    '# only a comment\n',
    '  a: 1\n',
    'a: 1\n  b: 2\n',
    'a:\n  - x\n  b: y\n',
    '? a\n: b\n',
    'a: - b\n',
    'a: {b}\n',
    'a: {b: }\n',
    'a: [b: c]\n',
    'a: "x"# comment\n',
    'a: @b\n',
    '__proto__: x\n',
  ];
  for (const text of outside) expect({ text, fast: parseSimpleYaml(text, 'c.yaml') }).toEqual({ text, fast: undefined });
});

/** A small deterministic generator (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCALARS = [
  'a', 'a b', 'a#b', 'a #b', '1', '0755', '1_000', '0x1F', '0o17', '0b101', '1e3', '.5', '1.0', '1.', '+1', '-1', '-.inf', '.nan',
  'true', 'True', 'TRUE', 'false', 'yes', 'no', 'on', '~', 'null', 'Null', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '12:30', '80:80',
  '127.0.0.1:80:80/udp', '-x', ':x', '?x', 'a:b', 'a: b', '"q"', "'s'", '"a\\"b"', "'it''s'", '"\\u00e9\\x41\\t\\\\"', '"\\q"', '""', "''",
  '[a, b]', '{a: 1}', '[]', '{}', '[ ]', '{ }', '[a, [b, c], {d: e}]', '{"a":1}', '{a: [1, 2], b: "x"}', '[a, b, ]', '[a,b]', '{a:1}',
  '&x a', '*x', '!reset a', '|', '>', '- a', '@a', '`a', '%a', 'é', '日本', '123456789012345678901234567890', '${VAR:-x}', 'a,b',
  'a]b', 'a}b', '[a, b', '"unterminated', 'http://x:80/p?q=1#f', 'a  b', 'x # comment', 'x# not', '-', '?', ':', '- - a',
  'a :b', 'a : b', 'a:#b', 'a:', 'a  #c', 'b  c  ', 'k: v: w', 'x:  ', 'a:\\b', 'c:/d e',
];
const KEYS = ['k', 'key with space', '"quoted"', "'single'", '"a: b"', '1', 'true', '~', '<<', '-k', '?k', 'k#x', 'x-y', 'k.k', 'a:b', '"k"', 'é', 'k :x', 'k #x', 'k  ', 'a:b:c', 'k:#'];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)];
}

/** Lines of a block node at `indent`, in random styles: mappings, sequences, compact mappings, comments. */
function blockLines(next: () => number, indent: number, depth: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 3);
  const sequence = depth > 0 && next() < 0.35;
  for (let i = 0; i < count; i++) {
    if (next() < 0.1) lines.push(next() < 0.5 ? '' : `${pad}# comment`);
    const nested = depth < 3 && next() < 0.35;
    const comment = next() < 0.1 ? '  # c' : '';
    if (sequence) {
      if (nested && next() < 0.5) {
        const inner = blockLines(next, indent + 2, depth + 1);
        lines.push(`${pad}-${comment}`, ...inner);
      } else if (next() < 0.3) {
        // A compact mapping after the dash.
        lines.push(`${pad}- ${pick(next, KEYS)}: ${pick(next, SCALARS)}`, `${pad}  ${pick(next, KEYS)}: ${pick(next, SCALARS)}${comment}`);
      } else {
        lines.push(`${pad}- ${pick(next, SCALARS)}${comment}`);
      }
    } else {
      const key = pick(next, KEYS);
      if (nested) {
        const sameIndentSequence = next() < 0.3;
        if (sameIndentSequence) lines.push(`${pad}${key}:${comment}`, `${pad}- ${pick(next, SCALARS)}`, `${pad}- ${pick(next, SCALARS)}`);
        else lines.push(`${pad}${key}:${comment}`, ...blockLines(next, indent + 1 + Math.floor(next() * 3), depth + 1));
      } else {
        const value = next() < 0.1 ? '' : ` ${pick(next, SCALARS)}`;
        lines.push(`${pad}${key}:${value}${comment}`);
      }
    }
  }
  return lines;
}

test('the fast path must agree with the full parser on generated documents', () => {
  const next = random(12);
  let taken = 0;
  const total = 3000;
  for (let i = 0; i < total; i++) {
    const lines = blockLines(next, 0, 0);
    const text = `${lines.join('\n')}${next() < 0.9 ? '\n' : ''}`;
    if (agree(text)) taken++;
  }
  // Enough of them are in the subset for the comparison to mean something.
  expect(taken).toBeGreaterThan(total / 10);
});
