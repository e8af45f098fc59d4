/** The one-off container of `run`: what the command line changes in the service, its name, and the resources it needs. */
import { oneOffName, oneOffResourcesPlan, oneOffService, type OneOffOverrides } from '../../../src/plan/one-off.js';
import { EMPTY_OBSERVED_STATE } from '../../../src/plan/observed.js';
import { makeProject, SEAL_KEY, TOOL_VERSION } from './support.js';

const project = makeProject('app', {
  web: {
    command: ['serve'],
    container_name: 'fixed-web',
    environment: { MODE: 'file', KEEP: 'yes' },
    labels: { team: 'web' },
    ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
    volumes: [{ type: 'volume', source: 'data', target: '/data' }],
    cap_add: ['NET_ADMIN'],
    networks: { back: null },
  },
}, {
  networks: { back: { name: 'app_back' } },
  volumes: { data: { name: 'app_data' } },
});

const none: OneOffOverrides = {
  command: [],
  environment: {},
  labels: {},
  servicePorts: false,
  publish: [],
  volumes: [],
  capAdd: [],
  capDrop: [],
  tty: false,
  interactive: true,
};

test('a one-off container must drop the service ports and container_name unless asked, and keep the rest', () => {
  const service = oneOffService(project.services.web, none);
  expect(service.ports).toEqual([]);
  expect(service.container_name).toBeUndefined();
  expect(service).toMatchObject({ command: ['serve'], environment: { MODE: 'file', KEEP: 'yes' }, stdin_open: true, tty: false });
  expect(oneOffService(project.services.web, { ...none, servicePorts: true }).ports).toEqual(project.services.web.ports);
});

test('the command line must override the command, environment, labels, user and working directory', () => {
  const service = oneOffService(project.services.web, {
    ...none,
    command: ['sh', '-c', 'echo hi'],
    entrypoint: ['/bin/env'],
    environment: { MODE: 'cli' },
    labels: { extra: '1' },
    user: 'nobody',
    workingDir: '/tmp',
    capAdd: ['SYS_TIME'],
    capDrop: ['CHOWN'],
  });
  expect(service).toMatchObject({
    command: ['sh', '-c', 'echo hi'],
    entrypoint: ['/bin/env'],
    environment: { MODE: 'cli', KEEP: 'yes' },
    labels: { team: 'web', extra: '1' },
    user: 'nobody',
    working_dir: '/tmp',
    cap_add: ['NET_ADMIN', 'SYS_TIME'],
    cap_drop: ['CHOWN'],
  });
});

test('a -v mount must replace the service mount at the same target and add the others', () => {
  const service = oneOffService(project.services.web, {
    ...none,
    volumes: [
      { type: 'bind', source: '/host/data', target: '/data' },
      { type: 'bind', source: '/host/logs', target: '/logs' },
    ],
  });
  expect(service.volumes).toEqual([
    { type: 'bind', source: '/host/data', target: '/data' },
    { type: 'bind', source: '/host/logs', target: '/logs' },
  ]);
});

test('a one-off container must be named <project>-<service>-run-<first 12 of the slug>, or as --name says', () => {
  const slug = 'abcdef0123456789'.repeat(4);
  expect(oneOffName('app', 'web', slug)).toBe('app-web-run-abcdef012345');
  expect(oneOffName('app', 'web', slug, 'mine')).toBe('mine');
});

test('the resources of a one-off container must be the networks and volumes of its service', () => {
  const plan = oneOffResourcesPlan(project, EMPTY_OBSERVED_STATE, project.services.web, { toolVersion: TOOL_VERSION, sealKey: SEAL_KEY });
  expect(plan.nodes.map((node) => `${node.op.type} ${'name' in node.op ? node.op.name : ''}`)).toEqual([
    'create-network app_back',
    'create-volume app_data',
  ]);
});
