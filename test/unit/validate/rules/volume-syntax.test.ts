import { problemLines } from '../support/project-from-yaml.js';

const withVolumes = (volumes: string): string => `services:\n  a:\n    image: x\n    volumes: ${volumes}\n`;

describe('rule: volume syntax', () => {
  test.each([
    ['"a:b:c:d"', "invalid volume specification: 'a:b:c:d': too many colons"],
    ['"./x::/y"', 'invalid spec: ./x::/y: empty section between colons'],
    ['"./x:relative"', "invalid mount path: 'relative' mount path must be absolute"],
    ['"relative"', "invalid mount path: 'relative' mount path must be absolute"],
    ['"./x:/y:r0"', "invalid mode 'r0' in volume specification './x:/y:r0'"],
    ['""', 'invalid empty volume spec'],
  ])('%s must be rejected with "%s"', (entry, message) => {
    expect(problemLines(withVolumes(`[${entry}]`))).toEqual([`services.a.volumes[0]: ${message}`]);
  });

  test('the long syntax must need a target, an absolute one, and a source for binds', () => {
    const volumes = '[{type: volume, source: v}, {type: volume, target: rel}, {type: bind, target: /b}, {type: tmpfs, source: x, target: /t}]';
    expect(problemLines(`${withVolumes(volumes)}volumes:\n  v:\n`)).toEqual([
      'services.a.volumes[0]: target is required',
      'services.a.volumes[1].target: invalid mount path: \'rel\' mount path must be absolute',
      'services.a.volumes[2]: invalid mount config for type "bind": field Source must not be empty',
      'services.a.volumes[3].source: invalid mount config for type "tmpfs": field Source must not be specified',
    ]);
  });

  test('documented short forms and modes must be accepted', () => {
    const volumes = '["/anon", "./a:/a", "./b:/b:ro", "./c:/c:rw,z", "~/d:/d:cached", "vol:/v:nocopy", "/abs:/abs:rshared"]';
    expect(problemLines(`${withVolumes(volumes)}volumes:\n  vol:\n`)).toEqual([]);
  });
});
