import { ReconcileError } from '../../../src/plan/errors.js';
import { planRestart, planStart, planStop } from '../../../src/plan/lifecycle.js';
import { formatPlan } from '../../../src/plan/plan.js';
import { container, makeProject, observe, text } from './support.js';

const project = makeProject('p', {
  db: { healthcheck: { test: ['CMD', 'true'] } },
  web: { depends_on: { db: { condition: 'service_healthy', required: true, restart: true } } },
  worker: { depends_on: { db: { condition: 'service_started', required: true } } },
});

const allRunning = observe({ containers: ['db', 'web', 'worker'].map((name) => container(project, name)) });
const allStopped = observe({ containers: ['db', 'web', 'worker'].map((name) => container(project, name, { state: 'exited' })) });

describe('planStop', () => {
  test('stop must stop dependents before their dependencies', () => {
    expect(formatPlan(planStop(allRunning, { projectName: 'p', project }))).toBe(
      text(
        '[] -> #1 service:web:1, stop-container p-web-1, stop',
        '[] -> #2 service:worker:1, stop-container p-worker-1, stop',
        '[1,2] -> #3 service:db:1, stop-container p-db-1, stop',
      ),
    );
  });

  test('stop db must stop only db', () => {
    expect(formatPlan(planStop(allRunning, { projectName: 'p', project, services: ['db'], timeoutSeconds: 1 }))).toBe(
      '[] -> #1 service:db:1, stop-container p-db-1 timeout 1s, stop',
    );
  });

  test('stopped containers must not be stopped again', () => {
    expect(planStop(allStopped, { projectName: 'p', project }).nodes).toEqual([]);
  });
});

describe('planStart', () => {
  test('start web must start its dependency first and wait for its condition', () => {
    expect(formatPlan(planStart(allStopped, { project, services: ['web'] }))).toBe(
      text(
        '[] -> #1 service:db:1, start-container p-db-1, exited',
        '[1] -> #2 wait:db:service_healthy, wait-dependency db service_healthy for web, depends_on: service_healthy',
        '[2] -> #3 service:web:1, start-container p-web-1, exited',
      ),
    );
  });

  test('running containers must not be started again', () => {
    expect(planStart(allRunning, { project }).nodes).toEqual([]);
  });

  test('a service without any container must be an error (start does not create)', () => {
    expect(() => planStart(observe(), { project, services: ['worker'] })).toThrow(
      new ReconcileError(['service "db" has no container to start', 'service "worker" has no container to start']),
    );
  });
});

describe('planRestart', () => {
  test('restart db must also restart its restart: true dependents, after db', () => {
    expect(formatPlan(planRestart(allRunning, { projectName: 'p', project, services: ['db'] }))).toBe(
      text('[] -> #1 service:db:1, restart-container p-db-1, restart', '[1] -> #2 service:web:1, restart-container p-web-1, restart'),
    );
  });

  test('restart --no-deps must restart only the named service', () => {
    expect(formatPlan(planRestart(allRunning, { projectName: 'p', project, services: ['db'], noDeps: true }))).toBe(
      '[] -> #1 service:db:1, restart-container p-db-1, restart',
    );
  });

  test('restart without a compose file must take the order from the labels', () => {
    expect(formatPlan(planRestart(allRunning, { projectName: 'p' }))).toBe(
      text(
        '[] -> #1 service:db:1, restart-container p-db-1, restart',
        '[1] -> #2 service:web:1, restart-container p-web-1, restart',
        '[1] -> #3 service:worker:1, restart-container p-worker-1, restart',
      ),
    );
  });
});
