import { problemLines } from '../support/project-from-yaml.js';

describe('rule: undefined resources', () => {
  test('networks in list and mapping syntax must be declared, except default', () => {
    const yaml = 'services:\n  a: {image: x, networks: [default, front, nope]}\n  b: {image: x, networks: {gone: {aliases: [b]}}}\nnetworks:\n  front: {}\n';
    expect(problemLines(yaml)).toEqual([
      'services.a.networks[2]: service "a" refers to undefined network nope',
      'services.b.networks.gone: service "b" refers to undefined network gone',
    ]);
  });

  test('named volumes must be declared; host paths and anonymous volumes need nothing', () => {
    const yaml = `services:
  a:
    image: x
    volumes:
      - data:/data
      - ./here:/here
      - /anonymous
      - ~/home:/home
      - type: volume
        source: other
        target: /other
      - type: bind
        source: undeclared-looking
        target: /bind
volumes:
  data:
`;
    expect(problemLines(yaml)).toEqual(['services.a.volumes[4].source: service "a" refers to undefined volume other']);
  });

  test('secrets and configs must be declared, in short and long syntax and for builds', () => {
    const yaml = `services:
  a:
    image: x
    build: {context: ., secrets: [bs]}
    secrets: [s1, {source: s2}]
    configs: [c1]
secrets:
  s1: {file: ./s1}
`;
    expect(problemLines(yaml)).toEqual([
      'services.a.build.secrets[0]: service "a" refers to undefined secret bs',
      'services.a.secrets[1].source: service "a" refers to undefined secret s2',
      'services.a.configs[0]: service "a" refers to undefined config c1',
    ]);
  });

  test('models must be declared (besides being refused as unsupported)', () => {
    expect(problemLines('services:\n  a: {image: x, models: [llm]}\n')).toEqual([
      'services.a.models: tscompose does not support models (newer Compose: AI models served by Docker Model Runner)',
      'services.a.models[0]: service "a" refers to undefined model llm',
    ]);
  });
});
