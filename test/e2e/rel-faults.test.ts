/**
 * The fault scenarios of the reliability bar (F1-F5, F9-F11), through a proxy in front of the
 * engine's socket (fault-proxy.ts). Each checks the error the user sees, that the next `up`
 * converges, and that `down -v` then leaves nothing labelled and no anonymous volume. The others
 * are proven elsewhere: F6 (crash loop) in rel-up-failures.test.ts, F7 (a healthcheck that never
 * passes) in waits.test.ts, F8 (a service that ignores SIGTERM) in stop-start-restart.test.ts and
 * attached-interrupt.test.ts, F12 (interruptions) in rel-chaos.test.ts; see docs/promises.md.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import { CliRun, CRASH } from './attached-support.js';
import { eventually } from './engine-support.js';
import { FaultProxy } from './fault-proxy.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';
import { downLeavesNothing, replicasOf, VolumeRecord } from './rel-support.js';

jest.setTimeout(90_000);

const endpoint = resolveEndpoint(process.env).endpoint;
if (endpoint.kind !== 'unix') throw new Error('rel-faults.test.ts puts a proxy in front of a unix socket; the engine under test is not on one');
const proxy = new FaultProxy(endpoint.socketPath);
const scratch = mkdtempSync(join(tmpdir(), 'rel-faults-'));
const dir = fixture('rel-faults');
const projects: TestProject[] = [];
const records: VolumeRecord[] = [];
const CONVERGED = (name: string): string[] => [`${name}-app-1 running`, `${name}-cache-1 running`, `${name}-db-1 running`];

function scenario(name: string): { project: TestProject; volumes: VolumeRecord } {
  const project = new TestProject(name, dir);
  const volumes = new VolumeRecord(name);
  projects.push(project);
  records.push(volumes);
  return { project, volumes };
}

/** The rerun without the fault converges, and down -v leaves nothing. */
async function convergesThenCleans(project: TestProject, volumes: VolumeRecord, env: Record<string, string> = {}): Promise<void> {
  await project.ok(['up', '-d'], { env });
  expect(await statusOf(project.name)).toEqual(CONVERGED(project.name));
  await downLeavesNothing(project, volumes);
}

function via(env: Record<string, string> = {}): { env: Record<string, string> } {
  return { env: { ...env, DOCKER_HOST: proxy.url } };
}

beforeAll(async () => {
  await proxy.start();
});

afterEach(() => proxy.disarm());

afterAll(async () => {
  try {
    await proxy.close();
    await Promise.all(projects.map((project) => project.cleanup()));
  } finally {
    for (const record of records) await record.removeSurvivors();
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('fault scenarios', () => {
  test('F1: a missing engine socket must fail at once naming the socket and DOCKER_HOST, creating nothing', async () => {
    const { project, volumes } = scenario('rel-f1');
    await project.cleanup();
    const socket = join(scratch, 'no-engine.sock');
    const result = await project.run(['up', '-d'], { env: { DOCKER_HOST: `unix://${socket}` } });
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toContain(`cannot connect to the Docker engine at unix://${socket} (from DOCKER_HOST): the socket does not exist`);
    expect(await statusOf(project.name)).toEqual([]);
    await convergesThenCleans(project, volumes);
  });

  test('F2: an engine that never answers must time out with a message, and Ctrl-C must end the wait at once', async () => {
    const { project, volumes } = scenario('rel-f2');
    await project.cleanup();
    proxy.arm({ method: '*', path: /./, when: 'hang', times: Infinity });
    const result = await project.run(['up', '-d'], via());
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toMatch(/did not answer within \d+(\.\d)?s/);
    const asked = proxy.hits;
    const stuck = new CliRun(project, ['up', '-d'], via());
    // Interrupted once it waits for an answer (its signal handlers are in place by then), however
    // long it took to start on a busy machine: before that, Node's default handler would end it.
    await eventually(async () => (proxy.hits > asked ? true : undefined));
    stuck.interrupt();
    const interrupted = await stuck.finished;
    expect({ code: interrupted.code, crash: CRASH.test(interrupted.stderr) }).toEqual({ code: 130, crash: false });
    proxy.disarm();
    await convergesThenCleans(project, volumes);
  });

  test('F3: a connection dropped on the second container start must fail with a summary, and the rerun converge', async () => {
    const { project, volumes } = scenario('rel-f3');
    await project.cleanup();
    proxy.arm({ method: 'POST', path: /\/containers\/[0-9a-f]{64}\/start/, when: 'before', skip: 1 });
    const result = await project.run(['up', '-d'], via());
    expect(proxy.triggered).toBeDefined();
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toMatch(/summary: \d+ of \d+ steps done, 1 failed/);
    expect(result.stderr).toContain('the engine closed the connection');
    await volumes.record();
    await convergesThenCleans(project, volumes);
  });

  test('F4: a connection dropped after the old container was removed, before the rename, must be repaired by the rerun', async () => {
    const { project, volumes } = scenario('rel-f4');
    await project.cleanup();
    await project.ok(['up', '-d']);
    await volumes.record();
    proxy.arm({ method: 'POST', path: /\/containers\/[0-9a-f]{64}\/rename\?name=rel-f4-app-1/, when: 'before' });
    const result = await project.run(['up', '-d'], via({ MODE: 'b' }));
    expect(proxy.triggered).toBeDefined();
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect((await replicasOf(project.name)).some((line) => /^[0-9a-f]{12}_rel-f4-app-1 running$/.test(line))).toBe(true);
    await volumes.record();
    await convergesThenCleans(project, volumes, { MODE: 'b' });
  });

  test('F5: the event stream cut during an attached up must be taken up again with a notice, and Ctrl-C still end it with 130', async () => {
    const { project, volumes } = scenario('rel-f5');
    await project.cleanup();
    const attached = new CliRun(project, ['up'], via());
    await attached.waitFor('stdout', 'Attaching to');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(proxy.cut(/\/events/)).toBeGreaterThan(0);
    await attached.waitFor('stderr', /WARN/);
    attached.interrupt();
    const ended = await attached.finished;
    expect({ code: ended.code, crash: CRASH.test(ended.stderr) }).toEqual({ code: 130, crash: false });
    await volumes.record();
    await convergesThenCleans(project, volumes);
  });

  test('F9: an engine error creating one service must leave the others running, say so in a summary, and the rerun converge', async () => {
    const { project, volumes } = scenario('rel-f9');
    await project.cleanup();
    proxy.arm({ method: 'POST', path: /\/containers\/create\?name=rel-f9-cache-1/, when: 'error', status: 500 });
    const result = await project.run(['up', '-d'], via());
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toContain('injected fault');
    expect(result.stderr).toMatch(/not done \(a step they need failed\): .*rel-f9-app-1/);
    expect(await statusOf(project.name)).toEqual(['rel-f9-db-1 running']);
    await convergesThenCleans(project, volumes);
  });

  test('F10: a replacement the engine refuses to start must be rolled back, the old container running, and the rerun converge', async () => {
    const { project, volumes } = scenario('rel-f10');
    await project.cleanup();
    await project.ok(['up', '-d']);
    const old = (await project.containers()).find((container) => container.service === 'app')!;
    await volumes.record();
    proxy.arm({ method: 'POST', path: new RegExp(`/containers/(?!${old.id})[0-9a-f]{64}/start`), when: 'error', status: 500 });
    const result = await project.run(['up', '-d'], via({ MODE: 'b' }));
    expect({ code: result.code, crash: CRASH.test(result.stderr) }).toEqual({ code: 1, crash: false });
    expect(result.stderr).toContain('rolled back: rel-f10-app-1 runs its previous configuration again');
    const after = (await project.containers()).find((container) => container.service === 'app')!;
    expect([after.id, after.status]).toEqual([old.id, 'running']);
    await volumes.watch();
    await convergesThenCleans(project, volumes, { MODE: 'b' });
  });

  test('F11: up and down at once on one project must both succeed, one after the other, and leave a consistent state', async () => {
    const { project, volumes } = scenario('rel-f11');
    await project.cleanup();
    await project.ok(['up', '-d']);
    await volumes.record();
    const [up, down] = await Promise.all([project.run(['up', '-d'], { env: { MODE: 'b' } }), project.run(['down', '-v', '-t', '0'])]);
    expect([up.code, down.code]).toEqual([0, 0]);
    const state = await statusOf(project.name);
    expect([[], CONVERGED(project.name)]).toContainEqual(state);
    await volumes.record();
    await convergesThenCleans(project, volumes, { MODE: 'b' });
  });
});
