/**
 * scripts/seed-debian-image.sh tries the registry before it bootstraps an image of its own. The
 * docker CLI and debootstrap are stubs here: the pull answers, fails, or never answers, and the
 * bootstrap "fails" at once, which shows that the script went on to make the image locally
 * without spending a minute doing it.
 */
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { ScriptSandbox } from './script-sandbox.js';

const TOOLS = ['bash', 'flock', 'mktemp', 'grep', 'sleep', 'tail', 'rm', 'awk', 'sort', 'findmnt', 'cat', 'seq', 'setsid', 'dirname', 'touch', 'env'];

// A run takes a few seconds at most; a stuck pull would otherwise only show as a timeout.
jest.setTimeout(20_000);

let sandbox: ScriptSandbox;
let env: Record<string, string>;

beforeEach(() => {
  sandbox = new ScriptSandbox(TOOLS);
  env = { TMPDIR: sandbox.dir, DEBIAN_MIRROR: 'http://mirror.invalid/debian', DEBIAN_SECURITY_MIRROR: 'http://mirror.invalid/debian-security' };
  sandbox.stub('id', 'echo 0');
  sandbox.stub('debootstrap', 'echo "E: the stub makes no root file system"; exit 1');
});

afterEach(() => sandbox.cleanup());

/** The docker CLI with an engine that has no debian:bookworm-slim until `pull` (this body) makes it. */
function dockerWhosePullDoes(pull: string): void {
  const pulled = join(sandbox.dir, 'pulled');
  sandbox.stub(
    'docker',
    `case "$1" in
      version) echo 20.10.24 ;;
      image) [ -e '${pulled}' ] ;;
      pull) PULLED='${pulled}'; ${pull} ;;
      *) exit 1 ;;
    esac`,
  );
}

const registryAnswers = (seconds: number): string =>
  `echo "bookworm-slim: Pulling from library/debian"; sleep ${seconds}; touch "$PULLED"; echo "Status: Downloaded newer image for debian:bookworm-slim"`;

function bootstrapped(): boolean {
  return sandbox.calls().some((call) => call.startsWith('debootstrap '));
}

test('a machine that reaches the registry must get the published image, and bootstrap nothing', async () => {
  dockerWhosePullDoes(registryAnswers(0));
  const result = await sandbox.run('seed-debian-image.sh', env);
  expect(result.code).toBe(0);
  expect(result.output).toContain('seed: trying `docker pull debian:bookworm-slim` (given up if the registry does not answer within 10 s)');
  expect(result.output).toMatch(/seed: pulled the published debian:bookworm-slim in \d+ s/);
  expect(sandbox.calls()).toContain('docker pull debian:bookworm-slim');
  expect(bootstrapped()).toBe(false);
});

test('a pull that has begun must not be cut short by the timeout', async () => {
  dockerWhosePullDoes(registryAnswers(2.5));
  const result = await sandbox.run('seed-debian-image.sh', { ...env, TSCOMPOSE_SEED_PULL_TIMEOUT: '1' });
  expect(result.code).toBe(0);
  expect(result.output).toMatch(/seed: pulled the published debian:bookworm-slim/);
  expect(bootstrapped()).toBe(false);
});

test('a pull that fails must be logged with its error, and the image made locally', async () => {
  dockerWhosePullDoes('echo \'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\' >&2; exit 1');
  const result = await sandbox.run('seed-debian-image.sh', env);
  expect(result.output).toContain('seed: the pull failed: Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host');
  expect(result.output).toContain('seed: making debian:bookworm-slim locally instead');
  expect(bootstrapped()).toBe(true);
  // The stub's bootstrap fails, so the script must say so and fail.
  expect(result.output).toContain('seed: debootstrap failed');
  expect(result.code).toBe(1);
});

test('a registry that never answers must cost only the timeout before the image is made locally', async () => {
  // exec: the pull is one process, as the real CLI is, so giving it up ends it.
  dockerWhosePullDoes('exec sleep 60');
  const began = Date.now();
  const result = await sandbox.run('seed-debian-image.sh', { ...env, TSCOMPOSE_SEED_PULL_TIMEOUT: '2' }, 90_000);
  const seconds = (Date.now() - began) / 1000;
  expect(result.output).toContain('seed: the pull failed: no answer from the registry within 2 s');
  expect(bootstrapped()).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(2);
  // Well before the 60 s the pull would take: it was given up, however slowly a busy machine ran the script.
  expect(seconds).toBeLessThan(30);
}, 120_000);

test('TSCOMPOSE_SEED_PULL_TIMEOUT=0 must skip the pull', async () => {
  dockerWhosePullDoes(registryAnswers(0));
  const result = await sandbox.run('seed-debian-image.sh', { ...env, TSCOMPOSE_SEED_PULL_TIMEOUT: '0' });
  expect(result.output).toContain('seed: not trying to pull debian:bookworm-slim (TSCOMPOSE_SEED_PULL_TIMEOUT=0)');
  expect(sandbox.calls().filter((call) => call.startsWith('docker pull'))).toEqual([]);
  expect(bootstrapped()).toBe(true);
});
