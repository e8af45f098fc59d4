import { problemLines } from '../support/project-from-yaml.js';

describe('rule: external resources', () => {
  test('an external volume with driver settings must be reported per setting', () => {
    expect(problemLines('volumes:\n  v:\n    external: true\n    driver: local\n    labels: {a: b}\n')).toEqual([
      'volumes.v.driver: volumes.v: conflicting parameters "external" and "driver" specified',
      'volumes.v.labels: volumes.v: conflicting parameters "external" and "labels" specified',
    ]);
  });

  test('external networks, secrets and configs must not carry creation settings either', () => {
    const yaml = `networks:
  n: {external: true, driver: bridge}
secrets:
  s: {external: "true", file: ./s}
configs:
  c: {external: {name: real}, content: hi}
`;
    expect(problemLines(yaml)).toEqual([
      'networks.n.driver: networks.n: conflicting parameters "external" and "driver" specified',
      'secrets.s.file: secrets.s: conflicting parameters "external" and "file" specified',
      'configs.c.content: configs.c: conflicting parameters "external" and "content" specified',
    ]);
  });

  test('external: false with a driver must be accepted', () => {
    expect(problemLines('volumes:\n  v: {external: false, driver: local}\n')).toEqual([]);
  });
});
