import { interpolateTree, substitute, SubstitutionError } from '../../../src/load/interpolate.js';
import { locate } from '../../../src/load/located.js';
import { parseYaml } from '../../../src/load/parse-yaml.js';
import { loadError, loadIn, project, services } from './load-helpers.js';

const env: Record<string, string> = { SET_EMPTY: '', SET_VAL: 'val', TAG: '1.2' };
const lookup = (name: string): string | undefined => env[name];

function sub(template: string): { value: string; unset: string[] } {
  const unset: string[] = [];
  const value = substitute(template, lookup, (name) => unset.push(name));
  return { value, unset };
}

describe('substitute', () => {
  test.each([
    ['${SET_VAL}', 'val'],
    ['$SET_VAL', 'val'],
    ['${SET_EMPTY:-dflt}', 'dflt'],
    ['${UNSET:-dflt}', 'dflt'],
    ['${SET_EMPTY-dflt}', ''],
    ['${UNSET-dflt}', 'dflt'],
    ['${SET_VAL:+alt}', 'alt'],
    ['${SET_EMPTY:+alt}', ''],
    ['${UNSET:+alt}', ''],
    ['${SET_EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${SET_EMPTY?must}', ''],
    ['${UNSET:-${SET_VAL:-d}}', 'val'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['$$LITERAL', '$LITERAL'],
    ['$${SET_VAL}', '${SET_VAL}'],
    ['cost $5 and $ alone', 'cost $5 and $ alone'],
    ['$SET_VAL-suffix', 'val-suffix'],
    ['${UNSET:-{x}}', '{x}'],
    ['${UNSET:-a}b}', 'ab}'],
    ['trailing $', 'trailing $'],
    ['no dollar at all', 'no dollar at all'],
  ])('%s must give %j', (template, expected) => {
    expect(sub(template).value).toBe(expected);
  });

  test('an unset variable must give "" and be reported once per use', () => {
    expect(sub('${UNSET}/$UNSET')).toEqual({ value: '/', unset: ['UNSET', 'UNSET'] });
  });

  test('a default that is not used must not be evaluated (no warning, no error)', () => {
    expect(sub('${SET_VAL:-${NOPE:?boom}}')).toEqual({ value: 'val', unset: [] });
  });

  test('variable names must be case-sensitive and allow digits after the first character', () => {
    env.lower_1 = 'x';
    expect(sub('${lower_1}$lower_1').value).toBe('xx');
  });

  test.each([['${UNSET:?must be set}', 'required variable UNSET is missing a value: must be set'], ['${UNSET?}', 'required variable UNSET is missing a value'], ['${SET_EMPTY:?${SET_VAL} needed}', 'required variable SET_EMPTY is missing a value: val needed']])(
    '%s must fail with Compose\'s message',
    (template, message) => {
      expect(() => sub(template)).toThrow(message);
    },
  );

  test.each(['${TAG', '${}', '${1BAD}', '${A:x}', '${A b}'])('%s must be an invalid interpolation format', (template) => {
    try {
      sub(template);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(SubstitutionError);
      expect((error as SubstitutionError).kind).toBe('format');
    }
  });
});

describe('interpolateTree', () => {
  test('values must be interpolated in place and keep their positions; keys must not be interpolated', () => {
    const tree = parseYaml('services:\n  s:\n    image: "busybox:${TAG}"\n    labels:\n      $TAG: x\n', 'c.yaml').documents[0] as Record<string, any>;
    const before = locate(tree, ['services', 's', 'image']);
    interpolateTree(tree, lookup, { problems: [], unset: [], warnings: [] });
    expect(tree.services.s.image).toBe('busybox:1.2');
    expect(Object.keys(tree.services.s.labels)).toEqual(['$TAG']);
    expect(locate(tree, ['services', 's', 'image'])).toEqual(before);
  });

  test('every bad value must be reported with its dotted path and position, not just the first', () => {
    const text = 'services:\n  s:\n    image: "${TAG"\n    command: ["${NOPE:?set NOPE}"]\n';
    const tree = parseYaml(text, 'c.yaml').documents[0] as Record<string, unknown>;
    const report = { problems: [] as any[], unset: [] as string[], warnings: [] as string[] };
    interpolateTree(tree, lookup, report);
    expect(report.problems.map((p) => [p.path, p.location.line, p.location.col])).toEqual([
      ['services.s.image', 3, 12],
      ['services.s.command[0]', 4, 15],
    ]);
    expect(report.problems[0].message).toContain('invalid interpolation format for services.s.image');
    expect(report.problems[0].hint).toContain('escape any $ with another $');
    expect(report.problems[1].message).toBe('required variable NOPE is missing a value: set NOPE');
  });

  test('interpolated numbers and booleans must be cast back where Compose expects them', () => {
    const text = [
      'services:',
      '  s:',
      '    cpus: ${CPUS}',
      '    privileged: "${YES}"',
      '    scale: ${N}',
      '    deploy: {replicas: "${N}", restart_policy: {max_attempts: "${N}"}}',
      '    ports: [{target: "${N}"}]',
      '    environment: {N: "${N}"}',
      '    read_only: "maybe"',
      'networks:',
      '  n: {external: "${YES}"}',
    ].join('\n');
    const tree = parseYaml(text, 'c.yaml').documents[0] as Record<string, any>;
    const vars: Record<string, string> = { CPUS: '0.5', YES: 'true', N: '3' };
    interpolateTree(tree, (n) => vars[n], { problems: [], unset: [], warnings: [] });
    const s = tree.services.s;
    expect([s.cpus, s.privileged, s.scale, s.deploy.replicas, s.deploy.restart_policy.max_attempts, s.ports[0].target]).toEqual([0.5, true, 3, 3, 3, 3]);
    expect(s.environment.N).toBe('3');
    expect(s.read_only).toBe('maybe');
    expect(tree.networks.n.external).toBe(true);
  });
});

describe('interpolation through load()', () => {
  test('the shell must win over .env, and unset variables must warn like Compose', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: "${IMG}:${TAG}"\n    command: echo ${MISSING}\n', '.env': 'IMG=fromdotenv\nTAG=dotenv\n' });
    const result = await loadIn(dir, { env: { TAG: 'shell' } });
    expect(services(result).s.image).toBe('fromdotenv:shell');
    expect(result.warnings).toContain('The "MISSING" variable is not set. Defaulting to a blank string.');
  });

  test('COMPOSE_PROJECT_NAME must always be available to interpolation', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: x\n    container_name: ${COMPOSE_PROJECT_NAME}-s\n' }, 'myproj');
    expect(services(await loadIn(dir)).s.container_name).toBe('myproj-s');
  });

  test('$$ must become a literal dollar and values from the environment must stay as they are', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: x\n    environment: {A: "a$$b", B: "${V}"}\n' });
    const env = services(await loadIn(dir, { env: { V: 'q$r' } })).s.environment;
    expect(env).toEqual({ A: 'a$b', B: 'q$r' });
  });

  test('with interpolation off, strings must stay exactly as written', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  s:\n    image: "${IMG:?x}"\n    environment: {A: "a$$b"}\n' });
    const s = services(await loadIn(dir, { interpolate: false })).s;
    expect(s).toEqual({ image: '${IMG:?x}', environment: { A: 'a$$b' } });
  });

  test('a missing required variable must be a problem at the file position of the value', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  a:\n    image: x\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?DB_PASSWORD must be set}\n' });
    // Not thrown: reported by the caller together with validation's problems.
    const { problems } = await loadIn(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'services.a.environment.DB_PASSWORD',
      message: 'required variable DB_PASSWORD is missing a value: DB_PASSWORD must be set',
      location: { file: `${dir}/compose.yaml`, line: 5, col: 20 },
    });
  });

  test('values that came from interpolation must keep the position of the file that defined them after a merge', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  a:\n    image: x\n',
      'compose.override.yaml': 'services:\n  a:\n    image: "${IMG}"\n',
    });
    const result = await loadIn(dir, { env: { IMG: 'y' } });
    expect(services(result).a.image).toBe('y');
    expect(locate(result.tree, ['services', 'a', 'image'])).toEqual({ file: `${dir}/compose.override.yaml`, line: 3, col: 12 });
  });
});
