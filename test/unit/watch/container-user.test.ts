import { parsePasswd, resolveOwner } from '../../../src/watch/container-user.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nbroken line\nwww:x:33:33::/var/www:/bin/false\n';
const GROUP = 'root:x:0:\nnode:x:1000:\nstaff:x:50:node\n';

describe('resolveOwner', () => {
  test('no user must mean root', () => {
    expect(resolveOwner('', PASSWD, GROUP)).toEqual({ uid: 0, gid: 0, description: 'root' });
  });

  test('a user name must be looked up in the container\'s passwd, with its primary group', () => {
    expect(resolveOwner('node', PASSWD, GROUP)).toEqual({ uid: 1000, gid: 1000, description: 'user "node" (1000:1000)' });
  });

  test('uid:gid must be used as given, even without a passwd entry (docker/compose#12467)', () => {
    expect(resolveOwner('4242:4343', undefined, undefined)).toEqual({ uid: 4242, gid: 4343, description: 'uid 4242 (4242:4343)' });
  });

  test('a bare uid must take the primary group from passwd when there is an entry, else 0', () => {
    expect(resolveOwner('33', PASSWD, GROUP)).toMatchObject({ uid: 33, gid: 33 });
    expect(resolveOwner('4242', PASSWD, GROUP)).toMatchObject({ uid: 4242, gid: 0 });
  });

  test('a group name must be looked up in the container\'s group file', () => {
    expect(resolveOwner('node:staff', PASSWD, GROUP)).toMatchObject({ uid: 1000, gid: 50 });
  });

  test('an unknown user name must fall back to root and say why', () => {
    expect(resolveOwner('ghost', PASSWD, GROUP)).toEqual({ uid: 0, gid: 0, description: 'root', fallbackReason: 'user "ghost" is not in the container\'s /etc/passwd' });
  });

  test('malformed passwd lines must be skipped', () => {
    expect(parsePasswd(PASSWD).map((entry) => entry.name)).toEqual(['root', 'node', 'www']);
  });
});
