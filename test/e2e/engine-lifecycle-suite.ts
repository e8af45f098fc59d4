/**
 * The lifecycle a user runs, as tests against an engine other than the default one (Podman, Debian
 * trixie's Docker Engine): up with a build, a service_healthy dependency, a published port and a
 * named volume; up --wait on an unchanged file; a recreate; logs; stop with the grace period; an
 * attached up; down -v --rmi local. The steps build on each other (one project, in order), like a
 * user's session. `exec` is not covered: tscompose has no exec command yet.
 */
import { get } from 'node:http';
import { fixture } from './lifecycle-support.js';
import { EngineProject, onEngine, requireEngine, type OtherEngine } from './other-engine-support.js';

export interface LifecycleOptions {
  /** The StopTimeout a container created without stop_grace_period must have. */
  readonly defaultStopTimeout: number | null;
}

function httpBody(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

export function describeLifecycle(engine: OtherEngine, projectName: string, options: LifecycleOptions): void {
  const project = new EngineProject(engine, projectName, fixture('compat-engine-lifecycle'));

  beforeAll(async () => {
    await requireEngine(engine);
    await project.cleanup();
  });

  afterAll(async () => {
    await project.cleanup();
  });

  describe(`tscompose on ${engine.name}`, () => {
    let firstIds: Record<string, string> = {};
    const ids = async (): Promise<Record<string, string>> =>
      Object.fromEntries(Object.entries(await project.containers()).map(([service, container]) => [service, container.id]));

    test('up must build and start a service_healthy dependent only once its dependency is healthy', async () => {
      const result = await project.ok(['up', '-d']);
      expect(result.stderr).toContain(`Container ${projectName}-db-1  Healthy`);
      const containers = await project.containers();
      expect(Object.keys(containers).sort()).toEqual(['db', 'graceful', 'web']);
      const { db, web } = containers;
      expect(db.health?.Status).toBe('healthy');
      const firstPass = db.health?.Log?.find((probe) => probe.ExitCode === 0);
      expect(firstPass).toBeDefined();
      expect(Date.parse(web.startedAt)).toBeGreaterThanOrEqual(Date.parse(firstPass!.End));
      expect(web.status).toBe('running');
      // The image the engine built serves the fixture's page on the published port.
      const [binding] = web.ports['8080/tcp'] ?? [];
      expect(binding.HostIp).toBe(engine.publishIp);
      expect(await httpBody(`http://${binding.HostIp}:${binding.HostPort}/`)).toBe('built for the lifecycle test\n');
      firstIds = await ids();
    });

    test('up --wait must accept services without a healthcheck and recreate nothing on an unchanged file', async () => {
      const result = await project.run(['up', '-d', '--wait', '--wait-timeout', '60']);
      expect(result.stderr).not.toContain('not healthy');
      expect(result.code).toBe(0);
      expect(await ids()).toEqual(firstIds);
    });

    test('a changed environment value must recreate that service and leave the others alone', async () => {
      await project.ok(['up', '-d'], { env: { MODE: 'two' } });
      const { db, graceful, web } = await project.containers();
      expect(web.id).not.toBe(firstIds.web);
      expect(web.env).toContain('MODE=two');
      expect(web.status).toBe('running');
      expect([db.id, graceful.id]).toEqual([firstIds.db, firstIds.graceful]);
    });

    test('logs must print a service output with its prefix', async () => {
      const result = await project.ok(['logs', '--no-color', 'graceful']);
      expect(result.stdout).toContain('graceful-1  | ready');
    });

    test('stop must give a service its grace period', async () => {
      await project.ok(['stop', 'graceful']);
      const { graceful } = await project.containers();
      expect(graceful.stopTimeout).toBe(options.defaultStopTimeout);
      expect(graceful.status).toBe('exited');
      // 42 comes from the service's SIGTERM handler; a kill at once gives 137.
      expect(graceful.exitCode).toBe(42);
      expect((await project.ok(['logs', 'graceful'])).stdout).toContain('stopping gracefully');
    });

    test('an attached up must print the service output and end when it exits', async () => {
      const result = await project.ok(['--profile', 'attached', 'up', 'once']);
      expect(result.stdout).toContain('once-1  | hello from once');
      expect(result.stdout).toContain('once-1 exited with code 0');
    });

    test('down -v --rmi local must remove the containers, the network, the volume and the built image', async () => {
      expect(await project.images()).toHaveLength(1);
      await project.ok(['--profile', 'attached', 'down', '-v', '--rmi', 'local']);
      expect(await project.containers()).toEqual({});
      expect(await project.networks()).toEqual([]);
      expect(await project.volumes()).toEqual([]);
      expect(await project.images()).toEqual([]);
      // The test image the engine shares with the other tests stays.
      await expect(onEngine(engine, 'image', 'inspect', 'tscompose-test/busybox:latest')).resolves.not.toBe('');
    });
  });
}
