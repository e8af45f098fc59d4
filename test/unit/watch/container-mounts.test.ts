import type { ContainerMount, ContainerSummary } from '../../../src/apply/engine.js';
import type { FileChange } from '../../../src/watch/batcher.js';
import { withContainerMounts } from '../../../src/watch/container-mounts.js';
import { decide } from '../../../src/watch/decide.js';
import { at, targetsFor } from './support.js';

function container(service: string, mounts: ContainerMount[], oneoff = false): ContainerSummary {
  return {
    id: `${service}-id`,
    name: `demo-${service}-1`,
    image: 'x',
    imageId: 'sha256:x',
    status: 'running',
    statusText: 'Up',
    labels: { 'com.docker.compose.project': 'demo', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': oneoff ? 'True' : 'False' },
    created: 0,
    networks: [],
    networkMode: 'bridge',
    mounts,
    ports: [],
  };
}

const bind = (source: string, destination: string): ContainerMount => ({ type: 'bind', source, destination, readOnly: false });

// `volumes_from: [container:...]`: only the engine knows what the container brings along.
const YAML = `
services:
  app:
    image: x
    volumes_from: ["container:holder"]
    develop:
      watch: [{path: ./src, target: /project/src/copy, action: sync}]
`;

function watched() {
  const result = targetsFor(YAML, { kinds: { src: 'directory' } });
  if (result.errors.length > 0 || result.problems.length > 0) throw new Error('bad fixture');
  return result.targets;
}

const changed = (path: string): FileChange => ({ path: at(path), kind: 'changed', directory: false });

describe('withContainerMounts', () => {
  test('the mounts the engine reports for a service\'s containers must be added to its mount points', () => {
    const targets = withContainerMounts(watched(), [container('app', [bind('/projects/demo', '/project/'), { type: 'volume', name: 'v', source: '/var/lib/v', destination: '/data', readOnly: false }])]);
    expect(targets.mountPoints.app).toEqual([
      { type: 'bind', target: '/project' },
      { type: 'volume', target: '/data' },
    ]);
  });

  test('a sync into a bind mount only the engine reports must be skipped (a loop through the host otherwise)', () => {
    const targets = withContainerMounts(watched(), [container('app', [bind('/projects/demo', '/project')])]);
    const [app] = decide([changed('src/a.txt')], targets).services;
    expect(app.sync).toEqual([]);
    expect(app.notes).toEqual(['not copying ./src/a.txt to /project/src/copy/a.txt: that is inside the bind mount at /project (it would write the host file again)']);
    expect(app.bindTargets).toEqual(['/project']);
  });

  test('mounts of one-off containers and of other services must not count', () => {
    const targets = withContainerMounts(watched(), [container('app', [bind('/x', '/run-only')], true), container('other', [bind('/y', '/project')])]);
    expect(targets.mountPoints.app).toEqual([]);
    const [app] = decide([changed('src/a.txt')], targets).services;
    expect(app.sync.map((entry) => entry.containerPath)).toEqual(['/project/src/copy/a.txt']);
  });

  test('a mount the model already knows must not be listed twice', () => {
    const result = targetsFor(`
services:
  app:
    image: x
    volumes: ["./conf:/conf/"]
    develop:
      watch: [{path: ./src, target: /app, action: sync}]
`, { kinds: { src: 'directory', conf: 'directory' } });
    const targets = withContainerMounts(result.targets, [container('app', [bind('/projects/demo/conf', '/conf')])]);
    expect(targets.mountPoints.app).toEqual([{ type: 'bind', target: '/conf' }]);
  });
});
