/**
 * scripts/ensure-engine.sh decides which engine to use and how to start one. Here apt-get,
 * systemctl, journalctl, dockerd and id are stubs and the "engine" is a fake that answers /_ping,
 * so each decision is checked without a package manager, systemd or a daemon: above all that a
 * machine whose systemd serves the socket never gets a second dockerd of ours.
 * The endpoint is resolved by the built CLI code (dist/endpoint.js), as the script does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextStorageKey } from '../../../src/apply/endpoint.js';
import { ScriptSandbox } from './script-sandbox.js';

const TOOLS = ['dirname', 'seq', 'sleep', 'realpath', 'mkdir', 'setsid', 'tail', 'cat', 'env', 'ln'];

let sandbox: ScriptSandbox;
let socket: string;
let localEnv: Record<string, string>;

beforeEach(() => {
  sandbox = new ScriptSandbox(TOOLS);
  socket = join(sandbox.dir, 'docker.sock');
  localEnv = {
    DOCKER_HOST: `unix://${socket}`,
    TSCOMPOSE_ENGINE_DIR: join(sandbox.dir, 'engine'),
    TSCOMPOSE_ENGINE_EXEC_ROOT: join(sandbox.dir, 'exec-root'),
  };
  sandbox.stub('id', 'echo 0');
});

afterEach(() => sandbox.cleanup());

/** systemctl as on a machine booted with systemd whose docker.socket listens on the test's socket. */
function systemdServingSocket(options: { start: string; dockerActive?: boolean }): void {
  sandbox.stub(
    'systemctl',
    `case "$1" in
      is-system-running) echo running ;;
      show) echo "${socket} (Stream)" ;;
      start) ${options.start} ;;
      is-active) exit ${options.dockerActive ? 0 : 3} ;;
      *) exit 1 ;;
    esac`,
  );
}

/** dockerd that serves its --host socket, like the real one. */
function workingDockerd(): void {
  sandbox.stub(
    'dockerd',
    `while [ $# -gt 0 ]; do [ "$1" = --host ] && host=$2; shift; done
    ${sandbox.startEngineCommand('"${host#unix://}"')}`,
  );
}

function ownDockerdStarts(): string[] {
  return sandbox.calls().filter((call) => call.startsWith('dockerd '));
}

test('an engine that already answers must be used as it is, with nothing installed or started', async () => {
  sandbox.startEngine(socket);
  workingDockerd();
  const result = await sandbox.run('ensure-engine.sh', localEnv);
  expect(result.code).toBe(0);
  expect(result.output).toContain(`engine: a Docker engine answers at unix://${socket} (from DOCKER_HOST); using it`);
  expect(sandbox.calls().filter((call) => !call.startsWith('id '))).toEqual([]);
});

test('after installing docker.io, the service its package started must be used, and no dockerd of ours started', async () => {
  // The package's postinst starts docker.service: here, apt-get install puts dockerd on PATH and
  // brings the engine up.
  const packageFiles = join(sandbox.dir, 'package');
  sandbox.stub('dockerd', 'exit 1', packageFiles);
  sandbox.stub('apt-get', `if [ "$1" = install ]; then ln -s '${packageFiles}/dockerd' '${sandbox.bin}/dockerd'; ${sandbox.startEngineCommand(`'${socket}'`)}; fi`);
  systemdServingSocket({ start: 'exit 0' });
  const result = await sandbox.run('ensure-engine.sh', localEnv);
  expect(result.code).toBe(0);
  expect(result.output).toContain("engine: the docker.io package's service answers");
  expect(sandbox.calls()).toContainEqual(expect.stringMatching(/^apt-get install .*docker\.io/));
  expect(sandbox.calls().filter((call) => call.startsWith('systemctl start'))).toEqual([]);
  expect(ownDockerdStarts()).toEqual([]);
});

test('when systemd runs the machine and its docker.socket holds the socket, systemctl start docker must start the engine', async () => {
  workingDockerd();
  systemdServingSocket({ start: sandbox.startEngineCommand(`'${socket}'`) });
  const result = await sandbox.run('ensure-engine.sh', localEnv);
  expect(result.code).toBe(0);
  expect(result.output).toContain(`engine: docker.service answers at unix://${socket}`);
  expect(sandbox.calls()).toContain('systemctl start docker');
  expect(ownDockerdStarts()).toEqual([]);
});

test('a docker.service that fails to start while systemd holds the socket must be reported, not replaced by a second dockerd', async () => {
  workingDockerd();
  systemdServingSocket({ start: 'exit 1', dockerActive: true });
  const result = await sandbox.run('ensure-engine.sh', localEnv);
  expect(result.code).toBe(1);
  expect(result.output).toContain(`engine: systemctl start docker failed while systemd holds ${socket}`);
  expect(ownDockerdStarts()).toEqual([]);
});

test('without systemd as PID 1, dockerd must be started on the socket with its own data and exec roots', async () => {
  workingDockerd();
  sandbox.stub('systemctl', '[ "$1" = is-system-running ] && echo offline; exit 1');
  const result = await sandbox.run('ensure-engine.sh', localEnv);
  expect(result.code).toBe(0);
  expect(result.output).toContain(`engine: dockerd answers at unix://${socket}`);
  expect(ownDockerdStarts()).toEqual([
    `dockerd --data-root ${localEnv.TSCOMPOSE_ENGINE_DIR}/data --exec-root ${localEnv.TSCOMPOSE_ENGINE_EXEC_ROOT} ` +
      `--pidfile ${localEnv.TSCOMPOSE_ENGINE_DIR}/dockerd.pid --host unix://${socket}`,
  ]);
  expect(sandbox.calls().filter((call) => call.startsWith('systemctl start'))).toEqual([]);
});

describe('with DOCKER_HOST unset, the Docker CLI\'s current context', () => {
  let contextSocket: string;
  let contextEnv: Record<string, string>;

  beforeEach(() => {
    contextSocket = join(sandbox.dir, 'context.sock');
    const configDir = join(sandbox.dir, '.docker');
    const metaDir = join(configDir, 'contexts', 'meta', contextStorageKey('tscx-remote'));
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: 'tscx-remote', Metadata: {}, Endpoints: { docker: { Host: `unix://${contextSocket}` } } }));
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'tscx-remote' }));
    contextEnv = { TSCOMPOSE_ENGINE_DIR: localEnv.TSCOMPOSE_ENGINE_DIR, TSCOMPOSE_ENGINE_EXEC_ROOT: localEnv.TSCOMPOSE_ENGINE_EXEC_ROOT };
    workingDockerd();
    sandbox.stub('apt-get');
  });

  test('must be used when its endpoint answers', async () => {
    sandbox.startEngine(contextSocket);
    const result = await sandbox.run('ensure-engine.sh', contextEnv);
    expect(result.code).toBe(0);
    expect(result.output).toContain(`engine: a Docker engine answers at unix://${contextSocket} (from Docker context "tscx-remote", the current context in`);
    expect(sandbox.calls().filter((call) => !call.startsWith('id '))).toEqual([]);
  });

  test('must be reported when it does not answer, and never replaced by a local dockerd', async () => {
    const result = await sandbox.run('ensure-engine.sh', contextEnv);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`engine: nothing answers at unix://${contextSocket} (from Docker context "tscx-remote"`);
    expect(result.output).toContain('docker context use default');
    expect(sandbox.calls().filter((call) => !call.startsWith('id '))).toEqual([]);
  });
});
