import { attachedServices, type AttachSelection } from '../../../../src/commands/attached/attached-services.js';
import { UsageError } from '../../../../src/errors.js';
import { makeProject } from '../../plan/support.js';

// web -> api -> db; `metrics` opts out of attaching; `admin` stands alone.
const project = makeProject('p', {
  db: {},
  api: { depends_on: { db: { condition: 'service_started', required: true, restart: false } } },
  web: { depends_on: { api: { condition: 'service_started', required: true, restart: false } } },
  metrics: { attach: false },
  admin: {},
});

const none: AttachSelection = { attach: [], attachDependencies: false };

function sorted(set: ReadonlySet<string>): string[] {
  return [...set].sort();
}

describe('attachedServices', () => {
  test('with no service named, every service must be printed except attach: false, and up must wait for the printed ones', () => {
    const roles = attachedServices(project, [], none);
    expect(sorted(roles.printed)).toEqual(['admin', 'api', 'db', 'web']);
    expect(sorted(roles.waitedFor)).toEqual(['admin', 'api', 'db', 'web']);
    expect(sorted(roles.followed)).toEqual(['admin', 'api', 'db', 'web']);
  });

  test('a named service must be printed and waited for without its dependencies', () => {
    const roles = attachedServices(project, ['web'], none);
    expect(sorted(roles.printed)).toEqual(['web']);
    expect(sorted(roles.waitedFor)).toEqual(['web']);
  });

  test('--attach-dependencies must print the whole dependency chain but still wait for the named service only', () => {
    const roles = attachedServices(project, ['web'], { ...none, attachDependencies: true });
    expect(sorted(roles.printed)).toEqual(['api', 'db', 'web']);
    expect(sorted(roles.waitedFor)).toEqual(['web']);
  });

  test('--attach must print exactly those services, even one with attach: false', () => {
    const roles = attachedServices(project, [], { ...none, attach: ['db', 'metrics'] });
    expect(sorted(roles.printed)).toEqual(['db', 'metrics']);
    expect(sorted(roles.waitedFor)).toEqual(['db', 'metrics']);
  });

  test('--no-attach must remove a service from the output but not from what a named run waits for', () => {
    const roles = attachedServices(project, ['web', 'admin'], { ...none, noAttach: ['admin'] });
    expect(sorted(roles.printed)).toEqual(['web']);
    expect(sorted(roles.waitedFor)).toEqual(['admin', 'web']);
  });

  test('with nothing printed and nothing named, up must wait for every service of the run', () => {
    const roles = attachedServices(project, [], { ...none, noAttach: ['admin', 'api', 'db', 'web'] });
    expect(sorted(roles.printed)).toEqual([]);
    expect(sorted(roles.waitedFor)).toEqual(['admin', 'api', 'db', 'metrics', 'web']);
  });

  test('Ctrl-C must stop the named services only, or every service when none was named', () => {
    expect(attachedServices(project, ['web'], none).stopped).toEqual(['web']);
    expect([...attachedServices(project, [], none).stopped].sort()).toEqual(['admin', 'api', 'db', 'metrics', 'web']);
  });

  test('the --exit-code-from service must be followed even when it is neither printed nor waited for', () => {
    const roles = attachedServices(project, ['web'], { ...none, exitCodeFrom: 'db' });
    expect(roles.followed.has('db')).toBe(true);
    expect(roles.printed.has('db')).toBe(false);
  });

  test('--attach of a service outside the run must fail with Compose message', () => {
    expect(() => attachedServices(project, ['api'], { ...none, attach: ['web', 'admin'] })).toThrow(
      new UsageError('cannot attach to services not included in up: web, admin'),
    );
    expect(() => attachedServices(project, ['web'], { ...none, attach: ['db'], noDeps: true })).toThrow(
      'cannot attach to services not included in up: db',
    );
  });

  test('--attach with --attach-dependencies must be refused', () => {
    expect(() => attachedServices(project, [], { ...none, attach: ['db'], attachDependencies: true })).toThrow(
      'cannot combine --attach and --attach-dependencies',
    );
  });
});
