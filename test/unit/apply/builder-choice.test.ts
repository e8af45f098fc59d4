import { chooseBuilder } from '../../../src/apply/builder-choice.js';
import type { BuildCapabilities } from '../../../src/apply/engine.js';
import { parseSshEntry } from '../../../src/apply/ssh-agents.js';
import { FakeEngine } from '../../support/fake-engine.js';

function engineWith(capabilities: BuildCapabilities): FakeEngine {
  const engine = new FakeEngine();
  engine.buildCapabilities = async () => capabilities;
  return engine;
}

const docker = engineWith({ buildkit: true, platform: 'linux/amd64' });
const podman = engineWith({ buildkit: false, reason: "Podman's Docker API has only the classic builder", platform: 'linux/amd64' });

describe('chooseBuilder', () => {
  test('BuildKit must be the default where the engine has it, and DOCKER_BUILDKIT=0 must select the classic builder silently', async () => {
    expect(await chooseBuilder(docker, {})).toEqual({ builder: 'buildkit', platform: 'linux/amd64', buildkitLimits: true });
    const off = await chooseBuilder(docker, { DOCKER_BUILDKIT: 'false' });
    expect(off.builder).toBe('classic');
    expect(off.notice).toBeUndefined();
  });

  test('an engine without BuildKit must fall back with one line saying why, and DOCKER_BUILDKIT=1 must then be an error', async () => {
    expect(await chooseBuilder(podman, {})).toMatchObject({
      builder: 'classic',
      notice: "Podman's Docker API has only the classic builder: building with the classic builder",
    });
    await expect(chooseBuilder(podman, { DOCKER_BUILDKIT: '1' })).rejects.toThrow(
      "DOCKER_BUILDKIT=1 asks for BuildKit, but Podman's Docker API has only the classic builder; unset it to build with the classic builder",
    );
  });

  test('a DOCKER_BUILDKIT that is not a boolean must be refused as the Docker CLI refuses it', async () => {
    await expect(chooseBuilder(docker, { DOCKER_BUILDKIT: 'yes' })).rejects.toThrow('DOCKER_BUILDKIT environment variable expects boolean value');
  });
});

describe('parseSshEntry', () => {
  test('the --ssh form and the model\'s form must both give an id and paths', () => {
    expect(parseSshEntry('default')).toEqual({ id: 'default', paths: [] });
    expect(parseSshEntry('deploy=/k/a,/k/b')).toEqual({ id: 'deploy', paths: ['/k/a', '/k/b'] });
    expect(parseSshEntry('deploy: /home/u/.ssh/id_ed25519')).toEqual({ id: 'deploy', paths: ['/home/u/.ssh/id_ed25519'] });
  });
});
