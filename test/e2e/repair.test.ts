/**
 * An interrupted recreate is repaired (T8, F3, F4): the connection to the engine is cut before and
 * after each call of the recreate sequence (create replacement -> stop old -> start replacement ->
 * remove old -> rename replacement); that run fails, and the next `up` must leave exactly one
 * container under the canonical name, running the new configuration, with both volumes' data.
 */
import { jest } from '@jest/globals';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import { FaultProxy, type FaultRule } from './fault-proxy.js';
import { fixture, shell, TestProject, type ContainerState } from './lifecycle-support.js';

jest.setTimeout(60_000);

const project = new TestProject('tscl-rep', fixture('repair'));
const endpoint = resolveEndpoint(process.env).endpoint;
if (endpoint.kind !== 'unix') throw new Error('repair.test.ts cuts connections on a unix socket; the engine under test is not on one');
const proxy = new FaultProxy(endpoint.socketPath);
const NAME = 'tscl-rep-app-1';

let generation = 0;

async function onlyContainer(): Promise<ContainerState> {
  const containers = await project.containers();
  expect(containers.map((container) => container.name)).toEqual([NAME]);
  return containers[0];
}

beforeAll(async () => {
  await project.cleanup();
  await proxy.start();
  await project.ok(['up', '-d']);
  await shell(NAME, 'echo named > /data/file; echo anonymous > /anon/file');
});

afterAll(async () => {
  await proxy.close();
  await project.cleanup();
});

type Step = [string, (oldId: string) => FaultRule['path'], string];

const STEPS: Step[] = [
  ['create the replacement', () => /\/containers\/create\?name=[0-9a-f]{12}_tscl-rep-app-1/, 'POST'],
  ['stop the old container', (oldId) => new RegExp(`/containers/${oldId}/stop`), 'POST'],
  ['start the replacement', (oldId) => new RegExp(`/containers/(?!${oldId})[0-9a-f]{64}/start`), 'POST'],
  ['remove the old container', (oldId) => new RegExp(`/containers/${oldId}\\?`), 'DELETE'],
  ['rename the replacement', () => /\/containers\/[0-9a-f]{64}\/rename\?name=tscl-rep-app-1/, 'POST'],
];

describe('P8: an interrupted recreate is repaired by the next up (T8)', () => {
  for (const [step, path, method] of STEPS) {
    for (const when of ['before', 'after'] as const) {
      test(`a connection cut ${when} the engine gets "${step}" must be repaired by the next up`, async () => {
        const old = await onlyContainer();
        generation++;
        const env = { MODE: `m${generation}` };
        proxy.arm({ method, path: path(old.id), when });
        const interrupted = await project.run(['up', '-d', '-t', '0'], { env: { ...env, DOCKER_HOST: proxy.url } });
        expect(proxy.triggered).toBeDefined();
        expect(interrupted.code).toBe(1);

        await project.ok(['up', '-d', '-t', '0'], { env });
        const repaired = await onlyContainer();
        expect(repaired.status).toBe('running');
        expect(repaired.env).toContain(`MODE=m${generation}`);
        expect(await shell(NAME, 'cat /data/file /anon/file')).toBe('named\nanonymous');
      });
    }
  }
});
