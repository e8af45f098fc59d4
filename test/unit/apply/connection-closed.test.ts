/**
 * An engine endpoint that closes every connection: the error must say whether TLS was used, since
 * plain HTTP to a TLS port (or TLS to a plain one, or a refused client certificate) looks exactly
 * like this from the client. A loopback server stands in for the engine: the decision under test
 * is the message, not an engine's behaviour.
 */
import { createServer, type Server } from 'node:net';
import { createDockerEngine } from '../../../src/apply/docker-engine.js';
import type { TcpEndpoint, TlsSettings } from '../../../src/apply/endpoint.js';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function endpoint(tls?: TlsSettings): TcpEndpoint {
  return { kind: 'tcp', host: '127.0.0.1', port, url: `tcp://127.0.0.1:${port}`, origin: { kind: 'DOCKER_HOST' }, ...(tls ? { tls } : {}) };
}

async function pingError(tls?: TlsSettings): Promise<string> {
  const engine = createDockerEngine(endpoint(tls));
  try {
    await engine.ping();
  } catch (error) {
    return (error as Error).message;
  } finally {
    engine.close();
  }
  throw new Error('ping succeeded');
}

describe('a connection the engine closes', () => {
  test('over plain HTTP, the error must say that TLS was off and how to turn it on', async () => {
    expect(await pingError()).toBe(
      `cannot connect to the Docker engine at tcp://127.0.0.1:${port} (from DOCKER_HOST): the engine closed the connection ` +
        '(plain HTTP, without TLS: if the engine expects TLS, set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or use a Docker context with TLS). ' +
        'Is the engine running?',
    );
  });

  test('over TLS, the error must say that TLS was on, whether the certificate was verified, and what closes such a connection', async () => {
    expect(await pingError({ verify: false })).toBe(
      `cannot connect to the Docker engine at tcp://127.0.0.1:${port} (from DOCKER_HOST): the engine closed the connection ` +
        '(over TLS, without verifying its certificate, with no client certificate: an engine without TLS on this port, ' +
        'or one that refuses the client certificate, closes the connection). Is the engine running?',
    );
  });
});
