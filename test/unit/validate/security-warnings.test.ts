import { parseYaml } from '../../../src/load/parse-yaml.js';
import { securityWarnings } from '../../../src/validate/security-warnings.js';

/** The warnings for an inline file whose services are all enabled, in the project /srv/app. */
function warningsOf(text: string, home = '/home/dev'): Array<{ message: string; line?: number; col?: number }> {
  const tree = parseYaml(text, 'compose.yaml').documents[0] as Record<string, unknown>;
  const enabledServices = Object.keys(tree.services as object);
  return securityWarnings({ tree, enabledServices, workingDir: '/srv/app', environment: { HOME: home } }).map((warning) => ({
    message: warning.message,
    line: warning.location?.line,
    col: warning.location?.col,
  }));
}

const HIDE = '(TSCOMPOSE_NO_SECURITY_WARNINGS=1 hides this warning)';

describe('security warnings', () => {
  test('every host-level setting of a service must be named in one line, at the first one', () => {
    const text = [
      'services:',
      '  ops:',
      '    image: x',
      '    privileged: true',
      '    cap_add: [NET_ADMIN, ALL]',
      '    pid: host',
      '    network_mode: host',
      '    security_opt: ["seccomp:unconfined"]',
      '',
    ].join('\n');
    expect(warningsOf(text)).toEqual([
      {
        message: `service "ops" has host-level access: privileged: true, cap_add: ALL, pid: host, network_mode: host, security_opt: seccomp:unconfined ${HIDE}`,
        line: 4,
        col: 5,
      },
    ]);
  });

  test('host namespaces, AppArmor off, memory devices and near-root capabilities must be named too', () => {
    const text = [
      'services:',
      '  ops:',
      '    image: x',
      '    ipc: host',
      '    userns_mode: host',
      '    security_opt: ["apparmor=unconfined", "apparmor:unconfined"]',
      '    devices: ["/dev/mem:/dev/mem", {source: /dev/kmem, target: /dev/kmem}]',
      '    cap_add: [sys_admin, CAP_SYS_MODULE, SYS_RAWIO]',
      '',
    ].join('\n');
    expect(warningsOf(text)).toEqual([
      {
        message:
          'service "ops" has host-level access: cap_add: SYS_ADMIN, cap_add: SYS_MODULE, cap_add: SYS_RAWIO, ipc: host, userns_mode: host, ' +
          `security_opt: apparmor=unconfined, security_opt: apparmor:unconfined, devices: /dev/mem, devices: /dev/kmem ${HIDE}`,
        line: 8,
        col: 15,
      },
    ]);
  });

  test.each([
    ['/var/run/docker.sock:/var/run/docker.sock', 'bind mount of /var/run/docker.sock (control of the engine)'],
    ['/:/host:ro', "bind mount of / (the host's whole file system)"],
    ['/etc:/host-etc', "bind mount of /etc (the host's configuration)"],
    ['../../../../../../etc:/h', "bind mount of ../../../../../../etc (the host's configuration)"],
    ['~/.ssh:/root/.ssh:ro', 'bind mount of ~/.ssh (SSH keys)'],
    ['/home/dev/.ssh/id_ed25519:/key', 'bind mount of /home/dev/.ssh/id_ed25519 (SSH keys)'],
  ])('a bind mount of %s must be named', (spec, what) => {
    expect(warningsOf(`services:\n  app:\n    image: x\n    volumes: ["${spec}"]\n`).map((warning) => warning.message)).toEqual([
      `service "app" has host-level access: ${what} ${HIDE}`,
    ]);
  });

  test('the long volume syntax must be checked too', () => {
    const text = 'services:\n  app:\n    image: x\n    volumes:\n      - {type: bind, source: /run/docker.sock, target: /sock}\n';
    expect(warningsOf(text)).toEqual([{ message: `service "app" has host-level access: bind mount of /run/docker.sock (control of the engine) ${HIDE}`, line: 5, col: 9 }]);
  });

  test('ordinary settings must not warn: a named volume, /etc/hosts, a project directory, NET_ADMIN, other pid and ipc modes, /dev/fuse, an AppArmor profile', () => {
    const text = [
      'services:',
      '  app:',
      '    image: x',
      '    cap_add: [NET_ADMIN, SYS_PTRACE]',
      '    pid: "service:db"',
      '    ipc: shareable',
      '    devices: ["/dev/fuse:/dev/fuse"]',
      '    security_opt: [no-new-privileges, "apparmor=my-profile"]',
      '    volumes: [data:/data, /etc/hosts:/etc/hosts:ro, ./etc:/app/etc, "/srv/ssh-keys:/keys"]',
      '  db:',
      '    image: x',
      '    privileged: false',
      '',
    ].join('\n');
    expect(warningsOf(text)).toEqual([]);
  });

  test('a disabled service must not warn', () => {
    const tree = parseYaml('services:\n  tool:\n    image: x\n    privileged: true\n', 'compose.yaml').documents[0] as Record<string, unknown>;
    expect(securityWarnings({ tree, enabledServices: [], workingDir: '/srv/app', environment: {} })).toEqual([]);
  });
});
