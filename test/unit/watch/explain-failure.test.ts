/**
 * The explanations of failed watch actions, fed with what the engine really answers (captured
 * from Docker Engine 20.10 through DockerEngine: its message, kind and wording). The one exception
 * is a copy denied permission, which a rootful engine does not produce (it extracts as root); its
 * text follows the extractor's `open <path>: <error>` form of the other tar failures.
 */
import { EngineError } from '../../../src/errors.js';
import { explainCopyFailure, explainDeleteFailure, explainExecFailure } from '../../../src/watch/explain-failure.js';
import { describeResults } from '../../../src/watch/report.js';

const ID = '94f16dd7869cfd5ebd4055531c7c9b2730e04a81c1a3de41675a31b6db108197';
const copyError = (path: string, engineText: string, statusCode = 500): EngineError =>
  new EngineError(`could not copy files to ${path} in container ${ID}: ${engineText}`, { operation: `copy files to ${path} in container`, resource: ID, statusCode });

const owner = { uid: 1000, gid: 1000, description: 'uid 1000 (1000:1000)' };
const where = { container: 'demo-app-1', paths: ['/app/src/a.txt'], owner };

describe('explainCopyFailure', () => {
  test('a read-only root filesystem must be named, with what to change, and the engine\'s text kept on its own line', () => {
    const text = explainCopyFailure(copyError('/', 'container rootfs is marked read-only'), where);
    expect(text).toBe(
      "cannot copy /app/src/a.txt into demo-app-1: the container's filesystem there is read-only (read_only: true on the service, or a :ro mount). " +
        'A sync target must be writable: remove read_only, or mount a writable volume at the target.\n' +
        `(engine: could not copy files to / in container ${ID}: container rootfs is marked read-only)`,
    );
  });

  test('a read-only volume must be explained as read-only, as the archive API and the tar extraction word it', () => {
    for (const engineText of ['mounted volume is marked read-only', 'Error processing tar file(exit status 1): open /rovol/a.txt: read-only file system']) {
      expect(explainCopyFailure(copyError('/rovol', engineText), where)).toMatch(/^cannot copy \/app\/src\/a\.txt into demo-app-1: the container's filesystem there is read-only/);
    }
  });

  test('a file where a directory is expected must say that the target or a directory on the way is a file', () => {
    for (const [path, engineText] of [
      ['/etc/hostname', 'extraction point is not a directory'],
      ['/', 'Error processing tar file(exit status 1): open /etc/passwd/a.txt: not a directory'],
    ]) {
      const text = explainCopyFailure(copyError(path, engineText), where);
      expect(text).toMatch(/^cannot copy \/app\/src\/a\.txt into demo-app-1: the target, or a directory on the way to it, is a file in the container\. Point the rule's target at a directory/);
      expect(text.split('\n')[1]).toBe(`(engine: could not copy files to ${path} in container ${ID}: ${engineText})`);
    }
  });

  test('a path the engine mounts must be named as what is in the way', () => {
    const text = explainCopyFailure(copyError('/', 'Error processing tar file(exit status 1): unlinkat //etc/hosts: device or resource busy'), where);
    expect(text).toMatch(/^cannot copy \/app\/src\/a\.txt into demo-app-1: the copy would replace a path the engine mounts into the container \(such as \/etc\/hosts, or a volume\)/);
  });

  test('a container removed meanwhile must be said to be gone, not a missing directory', () => {
    const text = explainCopyFailure(copyError('/tmp', 'No such container: f00f00f00f00', 404), where);
    expect(text).toMatch(/^cannot copy \/app\/src\/a\.txt into demo-app-1: the container is gone \(removed or recreated meanwhile\)/);
  });

  test('permission denied must name the user the files are written for and how to make the target theirs', () => {
    const text = explainCopyFailure(copyError('/app', 'Error processing tar file(exit status 1): open /app/a.txt: permission denied'), where);
    expect(text).toMatch(/^cannot copy \/app\/src\/a\.txt into demo-app-1 as uid 1000 \(1000:1000\): permission denied\./);
    expect(text).toContain('chown 1000:1000 <target>');
  });

  test('several paths must be counted, and an unknown failure passed on as the engine says it', () => {
    const text = explainCopyFailure(new Error('socket hang up'), { ...where, paths: ['/app/a', '/app/b', '/app/c'] });
    expect(text).toBe('cannot copy /app/a (and 2 more) into demo-app-1: socket hang up');
  });
});

describe('explainDeleteFailure', () => {
  test('rm on a read-only filesystem must be explained as read-only', () => {
    const text = explainDeleteFailure({ exitCode: 1, output: "rm: can't remove '/etc/passwd': Read-only file system\n" }, { container: 'demo-app-1', paths: ['/etc/passwd'] });
    expect(text).toBe("cannot delete /etc/passwd in demo-app-1: the filesystem there is read-only (read_only: true, or a :ro mount). (rm: can't remove '/etc/passwd': Read-only file system)");
  });

  test('an image without rm must say so and what to do', () => {
    const output = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "rm": executable file not found in $PATH: unknown\r\n';
    expect(explainDeleteFailure({ exitCode: 126, output }, { container: 'demo-app-1', paths: ['/app/x'] })).toMatch(/^cannot delete \/app\/x in demo-app-1: deleted files are mirrored with "rm -rf", and the image has no rm\./);
  });
});

describe('explainExecFailure', () => {
  const denied = { exitCode: 1, output: "\nsh: can't create /etc/forbidden: Permission denied\n" };
  const command = ['sh', '-c', 'echo x > /etc/forbidden'];

  test('a hook without user: must name the container\'s actual user, not a placeholder', () => {
    const text = explainExecFailure(denied, { container: 'demo-app-1', command, user: { container: '1000:1000' }, setting: 'the exec hook of the rule' });
    expect(text.split('\n')[0]).toBe('"sh -c echo x > /etc/forbidden" exited with code 1 in demo-app-1 (as user "1000:1000", the container\'s user):');
  });

  test('a container running as root must be said to run the hook as root', () => {
    const text = explainExecFailure(denied, { container: 'demo-app-1', command, user: { container: '' }, setting: 'the exec hook of the rule' });
    expect(text.split('\n')[0]).toMatch(/\(as root, the container's user\):$/);
  });

  test('the command\'s output and the hint must be on lines of their own', () => {
    const text = explainExecFailure(denied, { container: 'demo-app-1', command, user: { configured: 'nobody' }, setting: 'x-tscompose-reload' });
    expect(text.split('\n')).toEqual([
      '"sh -c echo x > /etc/forbidden" exited with code 1 in demo-app-1 (as user "nobody"):',
      "    sh: can't create /etc/forbidden: Permission denied",
      'Permission was denied: set user: in x-tscompose-reload to a user allowed to do this (e.g. user: root).',
    ]);
  });

  test('as printed, the engine\'s text must not run into the hint', () => {
    const error = explainExecFailure(denied, { container: 'demo-app-1', command, user: { container: '1000:1000' }, setting: 'the exec hook of the rule' });
    const { errors } = describeResults([{ service: 'app', done: [], notes: [], errors: [error] }]);
    expect(errors[0].split('\n')).toEqual([
      '  app: error: "sh -c echo x > /etc/forbidden" exited with code 1 in demo-app-1 (as user "1000:1000", the container\'s user):',
      "        sh: can't create /etc/forbidden: Permission denied",
      '    Permission was denied: set user: in the exec hook of the rule to a user allowed to do this (e.g. user: root).',
    ]);
  });

  test('a command missing from the image must say so', () => {
    const output = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown\r\n';
    const text = explainExecFailure({ exitCode: 126, output }, { container: 'demo-app-1', command: ['nope'], user: {}, setting: 'the exec hook of the rule' });
    expect(text).toBe(`"nope" cannot run in demo-app-1: the command is not in the image\n    ${output.trim()}`);
  });

  test('a paused or stopped container must be said not to be running', () => {
    for (const state of ['is paused, unpause the container before exec', 'is not running']) {
      const error = new EngineError(`could not run a command in container ${ID}: Container ${ID} ${state}`, { operation: 'run a command in container', statusCode: 409 });
      expect(explainExecFailure({ error }, { container: 'demo-app-1', command: ['true'], user: {}, setting: 'the exec hook of the rule' })).toBe('"true" cannot run in demo-app-1: the container is not running');
    }
  });
});
