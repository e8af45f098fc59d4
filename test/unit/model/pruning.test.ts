import { projectFrom } from './support.js';

const project = projectFrom(`
services:
  app:
    image: x
    build: {context: ., secrets: [buildsecret]}
    volumes: ["used:/data", "./bind:/bind"]
    networks: [used]
    secrets: [used]
    configs: [used]
networks: {used: {}, unused: {}}
volumes: {used: {}, unused: {}}
secrets: {used: {file: ./s}, unused: {file: ./u}, buildsecret: {file: ./b}}
configs: {used: {file: ./c}, unused: {file: ./u}}
`);

describe('pruning', () => {
  test('unused networks, volumes, secrets and configs must be dropped', () => {
    expect(Object.keys(project.networks)).toEqual(['used']);
    expect(Object.keys(project.volumes)).toEqual(['used']);
    expect(Object.keys(project.configs)).toEqual(['used']);
  });

  test('a secret used only by a build must be kept', () => {
    expect(Object.keys(project.secrets)).toEqual(['buildsecret', 'used']);
  });
});
