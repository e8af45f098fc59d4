// e2e global setup: the suite runs against a real engine, never a mock, and never skips.
// When no engine answers it fails at once with what to do, instead of letting every test time out.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function engineGlobalSetup() {
  const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  try {
    execFileSync('node', ['scripts/engine-endpoint.mjs', '--quiet'], { cwd: root, stdio: 'ignore' });
  } catch {
    throw new Error(
      `No Docker engine answers at ${host}. The e2e tests need a real engine: ` +
        'run `bash scripts/ensure-engine.sh` (npm test does this), or start Docker.',
    );
  }
  try {
    execFileSync('docker', ['image', 'inspect', 'tscompose-test/busybox:latest'], { stdio: 'ignore' });
  } catch {
    throw new Error('The test image tscompose-test/busybox:latest is missing: run `bash scripts/build-test-images.sh` (npm test does this).');
  }
}
