/**
 * The rules that hold only when a project runs on an engine without Swarm (validateForEngine):
 * each finding at its position, none from validate() (a swarm runs these), none for a disabled
 * service.
 */
import { validate, validateForEngine } from '../../../../src/validate/index.js';
import { projectFromYaml } from '../support/project-from-yaml.js';

function engineLines(text: string): string[] {
  return validateForEngine(projectFromYaml(text)).map((problem) => `${problem.location?.line}:${problem.location?.col} ${problem.path}: ${problem.message}`);
}

const SWARM_ONLY = `services:
  web:
    image: busybox
    volumes:
      - type: npipe
        source: '\\\\.\\pipe\\docker_engine'
        target: /pipe
      - {type: cluster, source: c, target: /c}
    secrets: [kept, {source: templated, uid: www-data, gid: "10"}]
    configs: [driven]
  off:
    image: busybox
    profiles: [later]
    volumes: [{type: cluster, source: c, target: /c}]
secrets:
  kept: {external: true}
  templated: {file: ./t, template_driver: golang}
configs:
  driven: {file: ./c, template_driver: golang}
`;

describe('rules for an engine without Swarm', () => {
  test('named pipes, cluster volumes, swarm-only secrets and configs and named owners must each be reported at their position', () => {
    expect(engineLines(SWARM_ONLY)).toEqual([
      '5:15 services.web.volumes[0].type: named pipe mounts (type: npipe) only work with Windows engines',
      '8:16 services.web.volumes[1].type: cluster volumes (type: cluster) need Swarm mode and cannot be used by tscompose',
      '9:15 services.web.secrets[0]: external secrets ("kept") need Swarm mode and cannot be used by tscompose',
      '9:30 services.web.secrets[1].source: secrets.templated: driver and template_driver are not supported without Swarm',
      '9:46 services.web.secrets[1].uid: "www-data" is not a numeric id',
      '10:15 services.web.configs[0]: configs.driven: driver and template_driver are not supported without Swarm',
    ]);
  });

  test('they must not be problems of the file itself (a swarm runs them)', () => {
    expect(validate(projectFromYaml(SWARM_ONLY))).toEqual([]);
  });

  test("a service-level mac_address must agree with its first network's, by priority", () => {
    const text = `services:
  web:
    image: busybox
    mac_address: 02:42:ac:11:00:02
    networks:
      back: {mac_address: 02:42:ac:11:00:02}
      front: {priority: 10, mac_address: 02:42:ac:11:00:03}
networks: {back: {}, front: {}}
`;
    expect(engineLines(text)).toEqual(['4:18 services.web.mac_address: the service-level mac_address must equal the one set on network "front"']);
    expect(engineLines(text.replace('priority: 10, ', ''))).toEqual([]);
  });
});
