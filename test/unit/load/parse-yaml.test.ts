import { parseYaml, RESET, isOverride } from '../../../src/load/parse-yaml.js';
import { locate } from '../../../src/load/located.js';
import { cpuTimeOf } from '../../support/cpu-time.js';

describe('parseYaml', () => {
  test('every entry must carry its file:line:col', () => {
    const { documents, problems } = parseYaml('services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n', 'c.yaml');
    expect(problems).toEqual([]);
    const tree = documents[0];
    expect(locate(tree, ['services', 'web', 'image'])).toEqual({ file: 'c.yaml', line: 3, col: 12 });
    expect(locate(tree, ['services', 'web', 'image'], 'key')).toEqual({ file: 'c.yaml', line: 3, col: 5 });
    expect(locate(tree, ['services', 'web', 'ports', 0])).toEqual({ file: 'c.yaml', line: 5, col: 9 });
    expect(locate(tree, ['services', 'web', 'nope', 'deeper'])).toEqual({ file: 'c.yaml', line: 3, col: 5 });
  });

  test('scalars must be typed like Go YAML (legacy octal, booleans, yes/no strings)', () => {
    const { documents } = parseYaml('a: 0755\nb: yes\nc: true\nd: 1.0\ne: 22:22\nf:\n', 'c.yaml');
    expect(documents[0]).toEqual({ a: 493, b: 'yes', c: true, d: 1, e: '22:22', f: null });
  });

  test('merge keys must be shallow and local keys must win', () => {
    const { documents } = parseYaml('x: &a {env: {A: 1}, r: always}\ny:\n  <<: *a\n  env: {B: 2}\n', 'c.yaml');
    expect((documents[0] as Record<string, unknown>).y).toEqual({ env: { B: 2 }, r: 'always' });
  });

  test('!reset and !override must be recognised', () => {
    const { documents } = parseYaml('a: !reset []\nb: !override [1]\nc: !reset null\n', 'c.yaml');
    const tree = documents[0] as Record<string, unknown>;
    expect(tree.a).toBe(RESET);
    expect(tree.c).toBe(RESET);
    expect(isOverride(tree.b)).toBe(true);
  });

  test('multi-document files must give one tree per document', () => {
    expect(parseYaml('a: 1\n---\nb: 2\n', 'c.yaml').documents).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('a duplicate key must be reported at the repetition, naming the line of the first definition as Compose does', () => {
    const { problems } = parseYaml('a: 1\nb: 2\na: 3\n', 'c.yaml');
    expect(problems).toEqual([{ path: '', location: { file: 'c.yaml', line: 3, col: 1 }, message: 'mapping key "a" already defined at line 1' }]);
  });

  test('a duplicate key in a nested flow mapping must name its first definition', () => {
    const { problems } = parseYaml('s:\n  web: {image: x,\n    image: y}\n', 'c.yaml');
    expect(problems.map((problem) => [problem.location?.line, problem.message])).toEqual([[3, 'mapping key "image" already defined at line 2']]);
  });

  test('non-string keys must be reported like Compose, each at its key, all at once', () => {
    const { problems } = parseYaml('1: x\nservices:\n  2: {image: x}\n  s:\n    environment: {TRUE: a, ~: b, 2001-12-14: c}\n', 'c.yaml');
    expect(problems.map((problem) => [problem.path, problem.location?.line, problem.location?.col, problem.message])).toEqual([
      ['', 1, 1, 'Non-string key at top level: 1'],
      ['services', 3, 3, 'Non-string key in services: 2'],
      ['services.s.environment', 5, 19, 'Non-string key in services.s.environment: true'],
      ['services.s.environment', 5, 28, 'Non-string key in services.s.environment: null'],
      ['services.s.environment', 5, 34, 'Non-string key in services.s.environment: 2001-12-14'],
    ]);
  });

  test('a merge key whose value is not a mapping must be reported at the value', () => {
    const { problems } = parseYaml('s:\n  <<: 1\n  image: x\n', 'c.yaml');
    expect(problems).toEqual([
      { path: 's', location: { file: 'c.yaml', line: 2, col: 7 }, message: 'map merge requires map or sequence of maps as the value' },
    ]);
  });

  test('an infinite or NaN number must be refused (Compose cannot encode it)', () => {
    const { problems } = parseYaml('s: {a: .inf, b: -.Inf, c: .nan, d: ".inf"}\n', 'c.yaml');
    expect(problems.map((problem) => problem.path)).toEqual(['s.a', 's.b', 's.c']);
  });

  test('plain scalars must be read with go-yaml\'s rules, quoted ones as written', () => {
    const { documents } = parseYaml('a: 0x1F\nb: 1_000\nc: 2001-12-14\nd: "0x1F"\ne: !!str 1_000\n', 'c.yaml');
    expect(documents[0]).toEqual({ a: 31, b: 1000, c: '2001-12-14 00:00:00 +0000 UTC', d: '0x1F', e: '1_000' });
  });

  test('an alias bomb must be reported at the alias whose expansion blew the budget', () => {
    const text = 'a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n';
    const { problems } = parseYaml(text, 'c.yaml', { maxFileBytes: 1000, maxDepth: 100, maxAliasNodes: 20 });
    expect(problems.map((problem) => problem.location)).toEqual([{ file: 'c.yaml', line: 3, col: 5 }]);
  });

  test('an alias bomb must fail fast', async () => {
    // 12 levels of 9: 9^12 (about 3e11) nodes in full, which no expansion gets through in 5 s.
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    const { result, cpuMs } = await cpuTimeOf(() => parseYaml(levels.join('\n') + '\n', 'bomb.yaml'));
    // A hang guard, not a speed target: the alias budget makes this deterministic, and
    // bench/ measures the real time side by side with Docker Compose. CPU time, which a busy
    // machine does not stretch as it stretches wall time.
    expect(cpuMs).toBeLessThan(5000);
    expect(result.problems[0].message).toMatch(/alias expansion exceeds/);
  });
});

describe('parseYaml integers', () => {
  test('an integer too large for a JS number must keep its digits', () => {
    expect(parseYaml('big: 12345678901234567890\nsmall: 42\n', 'c.yaml').documents[0]).toEqual({ big: '12345678901234567890', small: 42 });
  });
});
