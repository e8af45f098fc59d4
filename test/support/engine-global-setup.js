// e2e global setup: the suite runs against a real engine, never a mock, and never skips.
// When no engine answers it fails at once with what to do, instead of letting every test time out.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function engineGlobalSetup() {
  // The probe finds the engine as tscompose and the docker CLI do (DOCKER_HOST, Docker contexts).
  const probe = spawnSync('node', ['scripts/engine-endpoint.mjs'], { cwd: root, encoding: 'utf8' });
  if (probe.status !== 0) {
    // Status 2: no endpoint at all (a broken context, dist/ not built); the probe said why.
    const problem = probe.status === 2 ? probe.stderr.trim() : `No Docker engine answers at ${probe.stdout.split('\t')[2]?.trim()}.`;
    throw new Error(`${problem} The e2e tests need a real engine: run \`bash scripts/ensure-engine.sh\` (npm test does this), or start Docker.`);
  }
  // The stack tests need swarm mode: joined here only when the engine is in no swarm (see the script).
  execFileSync('bash', ['scripts/ensure-swarm.sh', '--hold', String(process.pid)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    execFileSync('docker', ['image', 'inspect', 'tscompose-test/busybox:latest'], { stdio: 'ignore' });
  } catch {
    throw new Error('The test image tscompose-test/busybox:latest is missing: run `bash scripts/build-test-images.sh` (npm test does this).');
  }
}
