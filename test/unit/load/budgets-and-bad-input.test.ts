import { cpuTimeOf } from '../../support/cpu-time.js';
import { loadError, loadIn, project } from './load-helpers.js';

describe('budgets and malformed input', () => {
  test('an alias bomb must fail fast with a position', async () => {
    // 12 levels of 9: 9^12 (about 3e11) nodes in full, which no expansion gets through in 5 s.
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const dir = project({ 'compose.yaml': `x-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\nservices: {s: {image: x}}\n` });
    const { result: error, cpuMs } = await cpuTimeOf(() => loadError(dir));
    // A hang guard, not a speed target: the alias budget makes this deterministic, and
    // bench/ measures the real time side by side with Docker Compose. CPU time, which a busy
    // machine does not stretch as it stretches wall time.
    expect(cpuMs).toBeLessThan(5000);
    expect(error.problems[0].message).toMatch(/alias expansion exceeds/);
    expect(error.problems[0].location?.file).toBe(`${dir}/compose.yaml`);
  });

  test('very deep nesting must fail without overflowing the stack', async () => {
    const depth = 100_000;
    const dir = project({ 'compose.yaml': `x-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n` });
    const error = await loadError(dir);
    expect(error.problems[0].message).toMatch(/nesting is deeper than/);
  });

  test('a file over the size budget must be refused', async () => {
    const dir = project({ 'compose.yaml': `services: {s: {image: "${'x'.repeat(2000)}"}}\n` });
    const error = await loadError(dir, { budgets: { maxFileBytes: 1000, maxDepth: 100, maxAliasNodes: 100 } });
    expect(error.problems[0].message).toBe('file is larger than 1000 bytes');
  });

  test('YAML syntax errors of several files must all be reported', async () => {
    const dir = project({ 'a.yaml': 'services:\n\tweb: {}\n', 'b.yaml': 'services: {a: [\n' });
    const error = await loadError(dir, { files: ['a.yaml', 'b.yaml'] });
    expect(new Set(error.problems.map((p) => p.location?.file))).toEqual(new Set([`${dir}/a.yaml`, `${dir}/b.yaml`]));
  });

  test('an empty file must fail like Compose', async () => {
    const dir = project({ 'compose.yaml': '' });
    expect((await loadError(dir)).problems[0].message).toBe('empty compose file');
  });

  test('a top level that is not a mapping must fail like Compose', async () => {
    const dir = project({ 'compose.yaml': '- a\n- b\n' });
    expect((await loadError(dir)).problems[0]).toMatchObject({ message: 'Top-level object must be a mapping', location: { line: 1, col: 1 } });
  });

  test.each([
    ['services: [a, b]\n'],
    ['services: {a: null, b: 42, c: "str", d: [1]}\n'],
    ['services:\n  a:\n    image: x\n    environment: "A=1"\n    env_file: 42\n    extends: {service: [x]}\n    build: 7\n    depends_on: "db"\n'],
    ['include: [{path: 42}]\nservices: {a: {image: x}}\n'],
    ['networks: [a]\nvolumes: "v"\nservices: {a: {image: x, volumes: [1, null, {target: 2}], ports: [null, {}, 1.5]}}\n'],
  ])('malformed input %j must load without crashing, values left for the validator', async (text) => {
    const dir = project({ 'compose.yaml': text, 'override.yaml': text });
    const result = await loadIn(dir, { files: ['compose.yaml', 'override.yaml'] });
    expect(result.tree).toBeDefined();
  });
});

describe('the file size budget', () => {
  test('TSCOMPOSE_MAX_FILE_SIZE must raise or lower the limit', async () => {
    const dir = project({ 'compose.yaml': `services: {s: {image: "${'x'.repeat(2000)}"}}\n` });
    expect((await loadError(dir, { env: { TSCOMPOSE_MAX_FILE_SIZE: '1000' } })).problems[0].message).toBe('file is larger than 1000 bytes');
    expect((await loadIn(dir, { env: { TSCOMPOSE_MAX_FILE_SIZE: '5000' } })).name).toBe('proj');
  });
});
