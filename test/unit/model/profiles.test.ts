import { projectFrom } from './support.js';

const yaml = `
services:
  web: {image: x}
  debug: {image: x, profiles: [debug], volumes: ["cache:/cache"], networks: [debugnet]}
volumes: {cache: {}}
networks: {debugnet: {}}
`;

describe('profiles', () => {
  test('services the loader did not enable must be kept aside as disabled', () => {
    const project = projectFrom(yaml);
    expect(Object.keys(project.services)).toEqual(['web']);
    expect(Object.keys(project.disabledServices)).toEqual(['debug']);
  });

  test('enabled services must keep their profiles', () => {
    const project = projectFrom(yaml, { enabled: ['web', 'debug'] });
    expect(project.services.debug.profiles).toEqual(['debug']);
  });

  test('resources only disabled services use must be pruned', () => {
    const project = projectFrom(yaml);
    expect(project.volumes).toEqual({});
    expect(Object.keys(project.networks)).toEqual(['default']);
  });
});
