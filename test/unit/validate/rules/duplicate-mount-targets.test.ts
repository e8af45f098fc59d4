import { problemLines } from '../support/project-from-yaml.js';

describe('rule: duplicate mount targets', () => {
  test('two mounts on one container path must be reported at the second', () => {
    expect(problemLines('services:\n  a: {image: x, volumes: ["./a:/data", "./b:/data/"]}\n')).toEqual([
      'services.a.volumes[1]: target /data/ already mounted as services.a.volumes[0]',
    ]);
  });

  test('a tmpfs on a path a volume already uses must be reported', () => {
    expect(problemLines('services:\n  a: {image: x, volumes: ["./a:/run"], tmpfs: ["/run:size=1m"]}\n')).toEqual([
      'services.a.tmpfs[0]: target /run already mounted as services.a.volumes[0]',
    ]);
  });

  test('nested container paths must be accepted', () => {
    expect(problemLines('services:\n  a: {image: x, volumes: ["./a:/data", "./b:/data/sub"]}\n')).toEqual([]);
  });
});
