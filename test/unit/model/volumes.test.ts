import { HOME, serviceFrom, WORKING_DIR } from './support.js';

const volumes = (list: string) => serviceFrom(`services:\n  s:\n    image: x\n    volumes: ${list}\n`).volumes;

describe('volumes', () => {
  test('a relative bind must become an absolute bind that creates the host path', () => {
    expect(volumes('["./src:/app/src:ro"]')).toEqual([
      { type: 'bind', source: `${WORKING_DIR}/src`, target: '/app/src', read_only: true, bind: { create_host_path: true } },
    ]);
  });

  test('a bind under ~ must resolve against the home directory', () => {
    expect(volumes('["~/cfg:/cfg"]')?.[0].source).toBe(`${HOME}/cfg`);
  });

  test('a relative bind source must be cleaned, trailing slash included', () => {
    expect(volumes('["./ssl/:/ssl", "./a/../b:/b"]')?.map((mount) => mount.source)).toEqual([`${WORKING_DIR}/ssl`, `${WORKING_DIR}/b`]);
  });

  test('an absolute bind source must be kept as written', () => {
    expect(volumes('["/etc//hosts:/h"]')?.[0].source).toBe('/etc//hosts');
  });

  test('a named volume must get an empty volume section', () => {
    expect(volumes('["data:/var/lib/data"]')).toEqual([{ type: 'volume', source: 'data', target: '/var/lib/data', volume: {} }]);
  });

  test('an anonymous volume must have no source', () => {
    expect(volumes('["/anon"]')).toEqual([{ type: 'volume', target: '/anon', volume: {} }]);
  });

  test('a one- or two-character spec must be an anonymous volume without a volume section, as in Compose', () => {
    expect(volumes('["/x"]')).toEqual([{ type: 'volume', target: '/x' }]);
  });

  test('nocopy, SELinux and propagation options must be kept, cached ignored', () => {
    expect(volumes('["logs:/var/log:nocopy", "./a:/a:z,rslave", "./b:/b:cached"]')).toEqual([
      { type: 'volume', source: 'logs', target: '/var/log', volume: { nocopy: true } },
      { type: 'bind', source: `${WORKING_DIR}/a`, target: '/a', bind: { selinux: 'z', propagation: 'rslave', create_host_path: true } },
      { type: 'bind', source: `${WORKING_DIR}/b`, target: '/b', bind: { create_host_path: true } },
    ]);
  });

  test('targets must be cleaned like Go path.Clean', () => {
    expect(volumes('["./a/:/data/", "vol://x/./y/../z"]')?.map((mount) => mount.target)).toEqual(['/data', '/x/z']);
  });

  test('long syntax must be kept, with bind sources resolved and tmpfs sizes in bytes', () => {
    expect(
      volumes(
        '[{type: bind, source: ./src, target: /src, bind: {create_host_path: false}}, {type: tmpfs, target: /tmp, tmpfs: {size: 64m, mode: 1777}}, {type: volume, target: /anon}]',
      ),
    ).toEqual([
      { type: 'bind', source: `${WORKING_DIR}/src`, target: '/src', bind: { create_host_path: false } },
      { type: 'tmpfs', target: '/tmp', tmpfs: { size: 67108864, mode: 1777 } },
      { type: 'volume', target: '/anon' },
    ]);
  });

  test('a target mounted twice must keep the last definition in the first place', () => {
    expect(volumes('["./x:/data", "./keep:/keep", "./y:/data"]')?.map((mount) => mount.source)).toEqual([
      `${WORKING_DIR}/y`,
      `${WORKING_DIR}/keep`,
    ]);
  });
});

describe('volumes, one-letter names', () => {
  test('a one-letter source must be a volume name, not a Windows drive as Compose guesses', () => {
    expect(volumes('["v:/data"]')).toEqual([{ type: 'volume', source: 'v', target: '/data', volume: {} }]);
  });
});
