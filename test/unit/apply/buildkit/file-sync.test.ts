import { linkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileData, goFileMode, goPathMatch, listEntries, matchPrefix, statPackets } from '../../../../src/apply/buildkit/file-sync.js';
import { protoFields } from '../../../../src/apply/buildkit/proto.js';
import { decodePacket, encodePacket, PACKET } from '../../../../src/apply/buildkit/wire.js';
import { tempTree } from '../../../support/temp-tree.js';

const tree = tempTree('tsce-filesync-');
const files = (entries: Record<string, string>): void => tree.files(entries);

const paths = async (...args: Parameters<typeof listEntries>) => (await listEntries(...args)).map((entry) => entry.stat.path);

describe('listEntries (the DiffCopy listing)', () => {
  test('entries must come depth first, each directory before its contents, names in byte order', async () => {
    files({ 'b.txt': '', 'a/z.txt': '', 'a-b/x': '', 'a.txt': '', 'B.txt': '', 'a/sub/y': '' });
    expect(await paths({ root: tree.root })).toEqual(['B.txt', 'a', 'a/sub', 'a/sub/y', 'a/z.txt', 'a-b', 'a-b/x', 'a.txt', 'b.txt']);
  });

  test('exclude patterns must follow .dockerignore rules, an exception re-including a file inside an excluded directory', async () => {
    files({ 'app.js': '', 'node_modules/dep/index.js': '', 'logs/a.log': '', 'logs/keep.log': '', 'src/deep.log': '' });
    expect(await paths({ root: tree.root }, { excludePatterns: ['node_modules', 'logs', '**/*.log', '!logs/keep.log'] })).toEqual([
      'app.js',
      'logs',
      'logs/keep.log',
      'src',
    ]);
  });

  test('include patterns and followpaths must select those entries and the directories leading to them', async () => {
    files({ Dockerfile: 'FROM x', 'docker/app.Dockerfile': '', 'other.txt': '' });
    symlinkSync('docker/app.Dockerfile', join(tree.root, 'linked.Dockerfile'));
    expect(await paths({ root: tree.root }, { followPaths: ['linked.Dockerfile', 'missing.dockerignore'] })).toEqual(['docker', 'docker/app.Dockerfile', 'linked.Dockerfile']);
    expect(await paths({ root: tree.root }, { includePatterns: ['*.txt'] })).toEqual(['other.txt']);
  });

  test('virtual files must be listed among the real ones and win over a real file of the same name', async () => {
    files({ '.dockerignore': 'real', 'a.txt': '' });
    const entries = await listEntries({ root: tree.root, files: { '.dockerignore': Buffer.from('virtual'), 'gen/Dockerfile': Buffer.from('FROM scratch') } });
    expect(entries.map((entry) => entry.stat.path)).toEqual(['.dockerignore', 'a.txt', 'gen', 'gen/Dockerfile']);
    expect(entries[0].source).toEqual({ content: Buffer.from('virtual') });
  });

  test('stats must carry Go file modes, owners reset to tree.root, nanosecond times, link targets and hard links', async () => {
    files({ 'run.sh': '#!/bin/sh', 'data.bin': '12345' });
    symlinkSync('run.sh', join(tree.root, 'link'));
    linkSync(join(tree.root, 'data.bin'), join(tree.root, 'data2.bin'));
    const entries = await listEntries({ root: tree.root });
    const byPath = Object.fromEntries(entries.map((entry) => [entry.stat.path, entry]));
    expect(byPath['link'].stat).toMatchObject({ linkname: 'run.sh', uid: 0, gid: 0 });
    expect(byPath['link'].stat.mode).toBe(2 ** 27 + 0o777);
    expect(byPath['data2.bin'].stat.linkname).toBe('data.bin');
    expect(byPath['data2.bin'].source).toBeUndefined();
    expect(byPath['data.bin'].source).toEqual({ path: join(tree.root, 'data.bin') });
  });
});

describe('Go semantics', () => {
  test('goFileMode must map st_mode to os.FileMode bits', () => {
    expect(goFileMode(0o040755)).toBe(2 ** 31 + 0o755);
    expect(goFileMode(0o104755)).toBe(2 ** 23 + 0o755);
    expect(goFileMode(0o100644)).toBe(0o644);
  });

  test('filepath.Match: * and ? must stop at a slash, classes and escapes must work', () => {
    expect(goPathMatch('*.txt', 'a.txt')).toBe(true);
    expect(goPathMatch('*.txt', 'dir/a.txt')).toBe(false);
    expect(goPathMatch('file[0-9]', 'file7')).toBe(true);
    expect(goPathMatch('file[^0-9]', 'file7')).toBe(false);
    expect(goPathMatch('a\\*b', 'a*b')).toBe(true);
    expect(matchPrefix('docker/*.Dockerfile', 'docker')).toEqual({ matched: true, partial: true });
  });
});

describe('packets', () => {
  test('a stat must be encoded with fsutil\'s field numbers, nanosecond times exact beyond 2^53', () => {
    const modTime = 1_796_563_243_566_123_456n;
    const packets = statPackets([{ stat: { path: 'dir/a', mode: 0o644, uid: 0, gid: 0, size: 3n, modTime, linkname: '' } }]);
    expect(packets.at(-1)).toEqual({ type: PACKET.STAT });
    const [statField] = [...protoFields(encodePacket(packets[0]))];
    expect(statField.field).toBe(2);
    expect([...protoFields(statField.value as Buffer)].map(({ field, value }) => [field, Buffer.isBuffer(value) ? value.toString() : value])).toEqual([
      [1, 'dir/a'],
      [2, 0o644n],
      [5, 3n],
      [6, modTime],
    ]);
    // The end of the listing: a STAT packet without a stat is an empty message.
    expect(encodePacket(packets[1])).toEqual(Buffer.alloc(0));
  });

  test('a request from the engine must decode to its type and file id; a file must end with an empty DATA', async () => {
    expect(decodePacket(encodePacket({ type: PACKET.REQ, ID: 300 }))).toEqual({ type: PACKET.REQ, ID: 300 });
    const data = [];
    for await (const packet of fileData(7, { content: Buffer.alloc(40 * 1024, 1) })) data.push(packet);
    expect(data.map((packet) => packet.data?.length ?? 0)).toEqual([32 * 1024, 8 * 1024, 0]);
    expect(data.every((packet) => packet.ID === 7 && packet.type === PACKET.DATA)).toBe(true);
  });
});
