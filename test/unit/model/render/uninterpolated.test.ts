import { toUninterpolatedDocument } from '../../../../src/model/render/uninterpolated.js';
import { loadedFrom, WORKING_DIR } from '../support.js';

describe('config --no-interpolate', () => {
  const document = toUninterpolatedDocument(
    loadedFrom(`
services:
  app:
    image: "busybox:{TAG}"
    build: ./ctx
    command: echo hi
    ports: ["80:80"]
    depends_on: [db]
    volumes: ["./x:/x"]
    secrets: [s]
    pull_policy: if_not_present
  db:
    image: postgres
    profiles: [never]
networks: {unused: {}}
secrets: {s: {file: ./s.txt}}
`),
    'yaml',
  ) as Record<string, any>;

  test('short forms of build, depends_on, volumes and secrets must become long, with paths resolved', () => {
    expect(document.services.app.build).toEqual({ context: `${WORKING_DIR}/ctx`, dockerfile: 'Dockerfile' });
    expect(document.services.app.depends_on).toEqual({ db: { condition: 'service_started', required: true } });
    expect(document.services.app.volumes[0].source).toBe(`${WORKING_DIR}/x`);
    expect(document.services.app.secrets).toEqual([{ source: 's', target: '/run/secrets/s' }]);
    expect(document.secrets.s).toEqual({ file: `${WORKING_DIR}/s.txt`, name: 'demo_s' });
  });

  test('other values must stay as written', () => {
    expect(document.services.app.command).toBe('echo hi');
    expect(document.services.app.pull_policy).toBe('missing');
  });

  test('ports must be in long form as Compose writes them, unless one of them holds a variable', () => {
    expect(document.services.app.ports).toEqual([{ mode: 'ingress', protocol: 'tcp', published: '80', target: 80 }]);
    const withVariable = toUninterpolatedDocument(
      loadedFrom('services:\n  app:\n    image: x\n    ports: ["${P}:80", 81, {target: 82}]\n'),
      'yaml',
    ) as Record<string, any>;
    expect(withVariable.services.app.ports).toEqual(['${P}:80', 81, { mode: 'ingress', protocol: 'tcp', target: 82 }]);
  });

  test('devices and build ssh, secrets and additional contexts must be in long form', () => {
    const long = toUninterpolatedDocument(
      loadedFrom(
        'services:\n  app:\n    image: x\n    devices: ["${D}:/dev/x", "/dev/b:/dev/c:r"]\n    build:\n      context: .\n      ssh: [default, "key=~/.ssh/id"]\n      secrets: [s]\n      additional_contexts: ["base=../base"]\n',
      ),
      'yaml',
    ) as Record<string, any>;
    expect(long.services.app.devices).toEqual([
      { source: '${D}', target: '/dev/x', permissions: 'rwm' },
      { source: '/dev/b', target: '/dev/c', permissions: 'r' },
    ]);
    expect(long.services.app.build.ssh).toEqual({ default: null, key: '/home/dev/.ssh/id' });
    expect(long.services.app.build.secrets).toEqual([{ source: 's' }]);
    expect(long.services.app.build.additional_contexts).toEqual({ base: '/projects/base' });
  });

  test('profiles and pruning must not apply, and the default network must be added', () => {
    expect(Object.keys(document.services)).toEqual(['app', 'db']);
    expect(Object.keys(document.networks)).toEqual(['default', 'unused']);
  });
});
