import { projectFrom } from './support.js';

const project = projectFrom(`
services:
  db: {image: x}
  web: {image: x, links: [db, "cache:redis"]}
  cache: {image: x}
  sidecar: {image: x, network_mode: "service:web"}
  backup: {image: x, volumes_from: [db, "db:ro", "container:other"]}
  debugger: {image: x, pid: "service:web", ipc: "service:db"}
  explicit: {image: x, links: [db], depends_on: {db: {condition: service_healthy}}}
`);

describe('implicit dependencies', () => {
  test('links must add dependencies that restart with their target', () => {
    expect(project.services.web.depends_on).toEqual({
      cache: { condition: 'service_started', restart: true, required: true },
      db: { condition: 'service_started', restart: true, required: true },
    });
  });

  test('network_mode service:x must add a dependency', () => {
    expect(Object.keys(project.services.sidecar.depends_on ?? {})).toEqual(['web']);
  });

  test('volumes_from must add a dependency without restart, and skip container: sources', () => {
    expect(project.services.backup.depends_on).toEqual({ db: { condition: 'service_started', required: true } });
  });

  test('pid and ipc service:x must add dependencies', () => {
    expect(Object.keys(project.services.debugger.depends_on ?? {})).toEqual(['db', 'web']);
  });

  test('an explicit depends_on entry must win over the implicit one', () => {
    expect(project.services.explicit.depends_on).toEqual({ db: { condition: 'service_healthy', required: true } });
  });
});
