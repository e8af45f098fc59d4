import { parseYaml } from '../../../src/load/parse-yaml.js';
import { stackFindings } from '../../../src/validate/stack-support.js';
import { lines } from './support.js';

function findings(text: string, apiVersion = '1.41') {
  const tree = parseYaml(text, 'compose.yaml').documents[0] as Record<string, unknown>;
  const result = stackFindings({ tree, enabledServices: Object.keys(tree.services as object) }, apiVersion);
  const show = (problem: { path: string; message: string; location?: { line: number; col: number } }) =>
    `${problem.location?.line}:${problem.location?.col} ${problem.path}: ${problem.message}`;
  return { warnings: result.warnings.map(show), problems: result.problems.map(show) };
}

describe('what a swarm makes of a compose file', () => {
  test('every field a swarm cannot honour must get one warning at its position, including those docker stack drops silently', () => {
    const { warnings, problems } = findings(
      lines(
        'services:',
        '  web:',
        '    image: x',
        '    build: .',
        '    depends_on: [db]',
        '    container_name: web',
        '    privileged: true',
        '    ports: ["127.0.0.1:80:80"]',
        '    networks:',
        '      default: {ipv4_address: 10.0.0.9}',
        '    healthcheck: {test: "true", start_interval: 1s}',
        '  db:',
        '    image: x',
        '    restart: "no"',
      ),
    );
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      '4:5 services.web.build: not supported by swarm: swarm does not build images: build and push the image first (tscompose build --push); the image is used as it is',
      '5:5 services.web.depends_on: not supported by swarm: swarm has no start order: all services start at once, so each must wait for (and retry) what it needs',
      '6:5 services.web.container_name: not supported by swarm: swarm names the containers of a service itself (<stack>_<service>.<slot>.<task>)',
      '7:5 services.web.privileged: not supported by swarm: swarm runs no privileged tasks',
      '8:13 services.web.ports[0]: not supported by swarm: the port is published on every address, not only 127.0.0.1',
      '10:17 services.web.networks.default.ipv4_address: not supported by swarm: it assigns the addresses of tasks itself',
      '11:33 services.web.healthcheck.start_interval: not supported by this engine (API 1.41; a healthcheck start_interval for swarm tasks needs 1.44)',
      '14:5 services.db.restart: swarm has no restart: it is used as deploy.restart_policy.condition: none (write that to say so)',
    ]);
  });

  test('a newer engine must take the fields its API has', () => {
    expect(findings('services:\n  web:\n    image: x\n    healthcheck: {test: "true", start_interval: 1s}\n', '1.44').warnings).toEqual([]);
  });

  test('what the engine would refuse halfway through a deploy must be a problem at its position first', () => {
    const { problems } = findings(
      lines(
        'services:',
        '  agent:',
        '    image: x',
        '    deploy: {mode: global, replicas: 2}',
        '  job:',
        '    image: x',
        '    deploy: {mode: replicated-job, update_config: {parallelism: 1}}',
        '  web:',
        '    image: x',
        '    ports: ["80:80"]',
        '    deploy: {endpoint_mode: dnsrr}',
        'secrets:',
        '  s: {name: "bad name!", file: ./s}',
      ),
    );
    expect(problems).toEqual([
      '4:28 services.agent.deploy.replicas: replicas can only be used with replicated or replicated-job mode',
      '7:36 services.job.deploy.update_config: jobs may not have an update or rollback config: a job runs to completion each time it is deployed',
      '10:13 services.web.ports[0]: a port published in ingress mode cannot be used with deploy.endpoint_mode: dnsrr: publish it with mode: host',
      '13:13 secrets.s.name: the name "bad name!" is not valid in a swarm: at most 64 characters of [a-zA-Z0-9-_.], starting and ending with a letter or digit',
    ]);
  });

  test('start-first with a host-mode port must be warned: on one node the new task cannot take the port', () => {
    const { warnings } = findings(
      lines(
        'services:',
        '  proxy:',
        '    image: x',
        '    ports: [{target: 80, published: 8080, mode: host}]',
        '    deploy: {update_config: {order: start-first}}',
      ),
    );
    expect(warnings).toEqual([
      '5:37 services.proxy.deploy.update_config.order: start-first with a host-mode port: a new task cannot start on a node where the old one still holds the port, so on a single node the update cannot proceed (use stop-first there)',
    ]);
  });
});
