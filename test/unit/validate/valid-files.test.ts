/** Files Compose accepts must validate without a single problem: no false alarms. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validate } from '../../../src/validate/index.js';
import { projectFromYaml } from './support/project-from-yaml.js';

const kitchenSink = readFileSync(fileURLToPath(new URL('./fixtures/kitchen-sink.yaml', import.meta.url)), 'utf8');

describe('valid files', () => {
  test('a file using every attribute in every syntax must have no problems but the attributes tscompose refuses on purpose', () => {
    expect(validate(projectFromYaml(kitchenSink, { profiles: ['cache'] })).map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^tscompose does not support image mount options/),
      expect.stringMatching(/^tscompose does not support provider services/),
      expect.stringMatching(/^tscompose does not support models/),
      expect.stringMatching(/^tscompose does not support use_api_socket/),
    ]);
  });

  test('interpolated values must be accepted as strings where Compose casts them', () => {
    const yaml = `
services:
  web:
    image: nginx
    cpus: "0.5"
    scale: "1"
    tty: "TRUE"
    init: "yes"
    mem_limit: "512m"
    oom_score_adj: "-100"
    ports:
      - target: "80"
        published: "8080"
    healthcheck:
      retries: "3"
      interval: "10s"
    deploy:
      resources:
        limits: {cpus: "0.5", pids: "10"}
    depends_on:
      db: {condition: service_started, required: "false", restart: "true"}
`;
    expect(validate(projectFromYaml(yaml))).toEqual([]);
  });

  test('a services-less file with only x- extensions must have no problems', () => {
    expect(validate(projectFromYaml('x-anything: {a: 1}\nname: p\n'))).toEqual([]);
  });

  test('the obsolete version key must be accepted as a string', () => {
    expect(validate(projectFromYaml('version: "3.8"\nservices:\n  a: {image: x}\n'))).toEqual([]);
  });
});
