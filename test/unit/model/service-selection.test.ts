import { projectFrom } from './support.js';

const yaml = `
services:
  web: {image: x, depends_on: [api], networks: [front]}
  api: {image: x, links: [db], networks: [front]}
  db: {image: x, volumes: ["dbdata:/data"]}
  other: {image: x, volumes: ["otherdata:/data"]}
  metrics: {image: x, profiles: [monitoring]}
  ui: {image: x, depends_on: {metrics: {condition: service_started, required: false}, web: {condition: service_started}}}
networks: {front: {}}
volumes: {dbdata: {}, otherdata: {}}
`;

describe('service selection', () => {
  test('a named service must come with its dependencies, transitively (implicit ones included)', () => {
    const project = projectFrom(yaml, { services: ['web'] });
    expect(Object.keys(project.services).sort()).toEqual(['api', 'db', 'web']);
  });

  test('services left out must be kept aside as disabled', () => {
    const project = projectFrom(yaml, { services: ['web'] });
    expect(Object.keys(project.disabledServices).sort()).toEqual(['metrics', 'other', 'ui']);
  });

  test('resources of enabled but unselected services must stay, as in Compose', () => {
    const project = projectFrom(yaml, { services: ['web'] });
    expect(Object.keys(project.volumes)).toEqual(['dbdata', 'otherdata']);
  });

  test('an optional dependency on a disabled service must be dropped from a selected service', () => {
    const project = projectFrom(yaml, { services: ['ui'] });
    expect(Object.keys(project.services.ui.depends_on ?? {})).toEqual(['web']);
  });

  test('without selection, an optional dependency on a disabled service must be kept', () => {
    const project = projectFrom(yaml);
    expect(Object.keys(project.services.ui.depends_on ?? {})).toEqual(['metrics', 'web']);
  });
});
