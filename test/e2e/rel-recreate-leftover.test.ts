/**
 * A recreate killed after its replacements were created leaves them in `Created` under their
 * temporary names `<id12>_<name>`, next to the old containers that still run (P8). The next `up`
 * with a further change must discard them before creating new replacements under the same
 * temporary names: it used to do both at once, read the name conflict as a concurrent run,
 * re-plan four times, fail with no cause, and leave the replicas exited.
 */
import { jest } from '@jest/globals';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import { CliRun, CRASH } from './attached-support.js';
import { FaultProxy } from './fault-proxy.js';
import { fixture, TestProject } from './lifecycle-support.js';
import { downLeavesNothing, replicasOf, sleep, VolumeRecord } from './rel-support.js';

jest.setTimeout(90_000);

const project = new TestProject('rel-leftover', fixture('rel-replicas'));
const volumes = new VolumeRecord(project.name);
const endpoint = resolveEndpoint(process.env).endpoint;
if (endpoint.kind !== 'unix') throw new Error('this test cuts connections on a unix socket; the engine under test is not on one');
const proxy = new FaultProxy(endpoint.socketPath);

beforeAll(async () => {
  await project.cleanup();
  await proxy.start();
});

afterAll(async () => {
  await proxy.close();
  await project.cleanup();
  await volumes.removeSurvivors();
});

test('an up after a recreate killed with its replacements created must discard them, recreate, and converge', async () => {
  await project.ok(['up', '-d']);
  await volumes.record();

  // Every stop hangs, so the run is stuck with both replacements created; then it is killed.
  proxy.arm({ method: 'POST', path: /\/containers\/[0-9a-f]{64}\/stop/, when: 'hang', times: Infinity });
  const killed = new CliRun(project, ['up', '-d'], { env: { MODE: 'b', DOCKER_HOST: proxy.url } });
  for (let waited = 0; proxy.hits < 2 && waited < 30_000; waited += 100) await sleep(100);
  killed.kill('SIGKILL');
  await killed.finished;
  proxy.disarm();
  const left = await replicasOf(project.name);
  expect(left.filter((line) => /^[0-9a-f]{12}_rel-leftover-app-[12] created$/.test(line))).toHaveLength(2);
  await volumes.record();

  const result = await project.run(['up', '-d'], { env: { MODE: 'c' } });
  expect({ code: result.code, crash: CRASH.test(result.stderr), concurrent: result.stderr.includes('another run') }).toEqual({ code: 0, crash: false, concurrent: false });
  expect(await replicasOf(project.name)).toEqual(['rel-leftover-app-1 running', 'rel-leftover-app-2 running']);
  for (const container of await project.containers()) expect(container.env).toContain('MODE=c');
  await downLeavesNothing(project, volumes);
});
