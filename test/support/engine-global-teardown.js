// e2e global teardown: this run no longer needs swarm mode; the script leaves the swarm only if
// it made it and no other test run still holds it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function engineGlobalTeardown() {
  execFileSync('bash', ['scripts/ensure-swarm.sh', '--release', String(process.pid)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
