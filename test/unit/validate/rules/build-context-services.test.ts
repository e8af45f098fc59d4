import { problemLines } from '../support/project-from-yaml.js';

describe('rule: build context services', () => {
  test('a service: context must name a service of the project, with Compose\'s words', () => {
    expect(problemLines('services:\n  web:\n    build:\n      context: .\n      additional_contexts: [base=service:bsae]\n  base: {build: .}\n')).toEqual([
      'services.web.build.additional_contexts[0]: service "web" declares unknown service "bsae" as additional contexts base',
    ]);
  });

  test('a service: context must name a service that builds', () => {
    expect(problemLines('services:\n  web:\n    build:\n      context: .\n      additional_contexts: {base: "service:db"}\n  db: {image: postgres}\n')).toEqual([
      'services.web.build.additional_contexts.base: service "web" declares non-buildable service "db" as additional contexts base',
    ]);
  });

  test('directories, images and buildable services must be accepted', () => {
    expect(
      problemLines('services:\n  web:\n    build:\n      context: .\n      additional_contexts: {a: ./dir, b: "docker-image://busybox", c: "service:base"}\n  base: {build: .}\n'),
    ).toEqual([]);
  });
});
