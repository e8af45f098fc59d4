/**
 * A `tcp://` engine behind a TLS-terminating proxy that does not resume TLS sessions works as it
 * does with the Docker CLI. The proxy is socat on loopback (installed by scripts/ensure-socat.sh)
 * in front of the test engine's socket, asking for client certificates; with those, OpenSSL in
 * socat refuses every resumed session ("session id context uninitialized"), and Node's HTTPS agent
 * resumes sessions by default, so every connection after the first failed.
 */
import { jest } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveEndpoint } from '../../src/apply/endpoint.js';
import { docker } from '../support/docker-cli.js';
import { fixture, statusOf, TestProject } from './lifecycle-support.js';

jest.setTimeout(120_000);

const exec = promisify(execFile);
const certs = mkdtempSync(join(tmpdir(), 'compat-tls-'));
const project = new TestProject('compat-tls', fixture('compat-tls-proxy'));
let proxy: ChildProcess | undefined;
let proxyLog = '';
let env: Record<string, string> = {};

/** A CA, a server certificate for 127.0.0.1 and a client certificate, in DOCKER_CERT_PATH's layout. */
async function makeCertificates(): Promise<void> {
  const openssl = (...args: string[]) => exec('openssl', args, { cwd: certs });
  writeFileSync(join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(certs, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=compat-tls CA');
  for (const [name, key, ext] of [['server', 'server-key.pem', 'server.ext'], ['cert', 'key.pem', 'client.ext']]) {
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name === 'cert' ? 'cert' : 'server-cert'}.pem`, '-days', '1', '-extfile', ext);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

beforeAll(async () => {
  const { endpoint } = resolveEndpoint(process.env);
  if (endpoint.kind !== 'unix') throw new Error(`the TLS proxy test needs the test engine on a unix socket, not ${endpoint.kind}`);
  await makeCertificates();
  const port = await freePort();
  proxy = spawn(
    'socat',
    [
      `OPENSSL-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,cert=server-cert.pem,key=server-key.pem,cafile=ca.pem,verify=1`,
      `UNIX-CONNECT:${endpoint.socketPath}`,
    ],
    { cwd: certs, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  proxy.stderr!.setEncoding('utf8').on('data', (chunk: string) => (proxyLog += chunk));
  env = { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs, DOCKER_CONTEXT: '' };
  // The proxy answers the Docker CLI (the behaviour to match) before the test starts.
  for (let attempt = 0; ; attempt++) {
    try {
      await exec('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, ...env } });
      break;
    } catch (error) {
      if (attempt > 50) throw new Error(`the TLS proxy does not answer the Docker CLI: ${(error as Error).message}\n${proxyLog}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await project.cleanup();
});

afterAll(async () => {
  await project.cleanup();
  if (proxy?.pid !== undefined) proxy.kill();
  rmSync(certs, { recursive: true, force: true });
});

test('up --wait, ps, logs and down must work through a TLS proxy that does not resume sessions', async () => {
  const up = await project.run(['up', '-d', '--wait'], { env });
  expect(up.stderr).not.toContain('TLS failed');
  expect(up.code).toBe(0);
  expect(await statusOf('compat-tls')).toEqual(['compat-tls-web-1 running', 'compat-tls-worker-1 running']);

  const ps = await project.ok(['ps', '--format', '{{.Name}}'], { env });
  expect(ps.stdout.split('\n').filter(Boolean).sort()).toEqual(['compat-tls-web-1', 'compat-tls-worker-1']);
  expect((await project.ok(['logs', 'web'], { env })).stdout).toContain('hello over tls');

  await project.ok(['down'], { env });
  expect(await statusOf('compat-tls')).toEqual([]);
  expect(await docker('network', 'ls', '-q', '--filter', 'label=com.docker.compose.project=compat-tls')).toBe('');
});
