import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  contextStorageKey,
  describeEndpoint,
  parseDockerHost,
  resolveEndpoint,
  tlsModeFromEnv,
  type Env,
} from '../../../src/apply/endpoint.js';
import { EngineError } from '../../../src/errors.js';

let home: string;
let configDir: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'tsce-endpoint-'));
  configDir = join(home, '.docker');
  mkdirSync(configDir);
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** An environment that never reads the real ~/.docker of the machine running the tests. */
function env(vars: Record<string, string | undefined> = {}): Env {
  return { HOME: home, ...vars };
}

function writeCerts(dir: string, files: readonly string[] = ['ca.pem', 'cert.pem', 'key.pem']): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file), `-----BEGIN ${file}-----\n`);
}

function writeContext(name: string, host: string, options: { skipTlsVerify?: boolean; tls?: readonly string[] } = {}): void {
  const key = contextStorageKey(name);
  const metaDir = join(configDir, 'contexts', 'meta', key);
  mkdirSync(metaDir, { recursive: true });
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipTlsVerify ?? false } } };
  writeFileSync(join(metaDir, 'meta.json'), JSON.stringify(meta));
  if (options.tls) writeCerts(join(configDir, 'contexts', 'tls', key, 'docker'), options.tls);
}

function useContext(name: string): void {
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));
}

function resolveError(vars: Record<string, string | undefined>): EngineError {
  try {
    resolveEndpoint(env(vars));
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('resolveEndpoint did not throw');
}

describe('DOCKER_TLS_VERIFY is parsed like the Docker CLI', () => {
  test.each(['1', 'true', '0', 'false', 'no'])('DOCKER_TLS_VERIFY=%p must turn TLS on with verification', (value) => {
    expect(tlsModeFromEnv({ DOCKER_TLS_VERIFY: value })).toEqual({ enabled: true, verify: true });
    writeCerts(configDir);
    const { endpoint } = resolveEndpoint(env({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: value }));
    expect(endpoint.kind).toBe('tcp');
    expect(endpoint.kind === 'tcp' && endpoint.tls?.verify).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['unset', undefined],
  ])('DOCKER_TLS_VERIFY %s must leave TLS off', (_label, value) => {
    expect(tlsModeFromEnv({ DOCKER_TLS_VERIFY: value })).toEqual({ enabled: false, verify: false });
    const { endpoint } = resolveEndpoint(env({ DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_TLS_VERIFY: value }));
    expect(endpoint.kind === 'tcp' && endpoint.tls).toBeUndefined();
  });

  test('DOCKER_TLS alone must turn TLS on without verification, and say so', () => {
    writeCerts(configDir);
    const { endpoint, warnings } = resolveEndpoint(env({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS: '1' }));
    expect(endpoint.kind === 'tcp' && endpoint.tls?.verify).toBe(false);
    expect(warnings.join('\n')).toMatch(/verification is off/);
  });

  test('TLS material must come from DOCKER_CERT_PATH when it is set', () => {
    const certs = join(home, 'certs');
    writeCerts(certs);
    writeFileSync(join(certs, 'ca.pem'), 'THE-CA');
    const { endpoint } = resolveEndpoint(env({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }));
    expect(endpoint.kind === 'tcp' && endpoint.tls?.ca).toBe('THE-CA');
    expect(endpoint.kind === 'tcp' && endpoint.tls?.cert).toBeDefined();
  });

  test('a missing ca.pem must be a clear error naming the file and the variable', () => {
    const error = resolveError({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '0' });
    expect(error.kind).toBe('bad-endpoint');
    expect(error.message).toContain(join(configDir, 'ca.pem'));
    expect(error.message).toContain('DOCKER_TLS_VERIFY is set');
    expect(error.message).toContain('DOCKER_HOST=tcp://127.0.0.1:2376');
  });

  test('a client certificate without its key must be a clear error', () => {
    writeCerts(configDir, ['ca.pem', 'cert.pem']);
    const error = resolveError({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' });
    expect(error.message).toContain(join(configDir, 'key.pem'));
  });

  test('ca.pem alone must be enough, as for the Docker CLI (no client certificate)', () => {
    writeCerts(configDir, ['ca.pem']);
    const { endpoint } = resolveEndpoint(env({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' }));
    expect(endpoint.kind === 'tcp' && endpoint.tls).toEqual({ ca: '-----BEGIN ca.pem-----\n', verify: true });
  });

  test('TLS on without DOCKER_HOST must default to tcp://localhost:2376 like the Docker CLI', () => {
    writeCerts(configDir);
    const { endpoint } = resolveEndpoint(env({ DOCKER_TLS_VERIFY: '1' }));
    expect(endpoint.url).toBe('tcp://localhost:2376');
  });
});

describe('endpoint precedence: DOCKER_HOST > DOCKER_CONTEXT > currentContext > default', () => {
  test('nothing set must give the default unix socket, marked as the default', () => {
    const { endpoint } = resolveEndpoint(env());
    expect(endpoint).toEqual({ kind: 'unix', url: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock', origin: { kind: 'default' } });
    expect(describeEndpoint(endpoint)).toBe('unix:///var/run/docker.sock (the default; DOCKER_HOST and DOCKER_CONTEXT are not set)');
  });

  test('DOCKER_HOST must win over DOCKER_CONTEXT and the current context', () => {
    writeContext('remote', 'tcp://127.0.0.2:2375');
    useContext('remote');
    const { endpoint } = resolveEndpoint(env({ DOCKER_HOST: 'unix:///tmp/x.sock', DOCKER_CONTEXT: 'remote' }));
    expect(endpoint.url).toBe('unix:///tmp/x.sock');
    expect(describeEndpoint(endpoint)).toBe('unix:///tmp/x.sock (from DOCKER_HOST)');
  });

  test('DOCKER_CONTEXT must win over the current context', () => {
    writeContext('one', 'tcp://127.0.0.1:1111');
    writeContext('two', 'tcp://127.0.0.1:2222');
    useContext('one');
    const { endpoint } = resolveEndpoint(env({ DOCKER_CONTEXT: 'two' }));
    expect(endpoint.url).toBe('tcp://127.0.0.1:2222');
    expect(describeEndpoint(endpoint)).toBe('tcp://127.0.0.1:2222 (from Docker context "two", set by DOCKER_CONTEXT)');
  });

  test('the current context of the config file must be used when nothing else is set', () => {
    writeContext('one', 'unix:///run/other.sock');
    useContext('one');
    const { endpoint } = resolveEndpoint(env());
    expect(endpoint.url).toBe('unix:///run/other.sock');
    expect(describeEndpoint(endpoint)).toBe(
      `unix:///run/other.sock (from Docker context "one", the current context in ${join(configDir, 'config.json')})`,
    );
  });

  test('DOCKER_CONFIG must replace ~/.docker', () => {
    const other = join(home, 'elsewhere');
    mkdirSync(other);
    configDir = other;
    writeContext('x', 'tcp://127.0.0.1:3333');
    useContext('x');
    expect(resolveEndpoint(env({ DOCKER_CONFIG: other })).endpoint.url).toBe('tcp://127.0.0.1:3333');
  });

  test('the context named "default" must mean the default socket', () => {
    expect(resolveEndpoint(env({ DOCKER_CONTEXT: 'default' })).endpoint.url).toBe('unix:///var/run/docker.sock');
  });

  test('an unknown context must be a clear error naming it and who selected it', () => {
    const error = resolveError({ DOCKER_CONTEXT: 'nope' });
    expect(error.kind).toBe('bad-endpoint');
    expect(error.message).toContain('Docker context "nope" (set by DOCKER_CONTEXT)');
    expect(error.message).toContain('docker context ls');
  });

  test('an unreadable config.json must be a warning, and the default used, as the Docker CLI does', () => {
    writeFileSync(join(configDir, 'config.json'), '{ not json');
    const { endpoint, warnings } = resolveEndpoint(env());
    expect(endpoint.origin).toEqual({ kind: 'default' });
    expect(warnings[0]).toContain('config.json is not valid JSON');
  });
});

describe('context TLS material', () => {
  test('a context with TLS files must use them and verify', () => {
    writeContext('secure', 'tcp://127.0.0.1:2376', { tls: ['ca.pem', 'cert.pem', 'key.pem'] });
    const { endpoint } = resolveEndpoint(env({ DOCKER_CONTEXT: 'secure' }));
    expect(endpoint.kind === 'tcp' && endpoint.tls).toEqual({
      ca: '-----BEGIN ca.pem-----\n',
      cert: '-----BEGIN cert.pem-----\n',
      key: '-----BEGIN key.pem-----\n',
      verify: true,
    });
  });

  test('SkipTLSVerify must mean TLS without verification', () => {
    writeContext('insecure', 'tcp://127.0.0.1:2376', { skipTlsVerify: true });
    const { endpoint } = resolveEndpoint(env({ DOCKER_CONTEXT: 'insecure' }));
    expect(endpoint.kind === 'tcp' && endpoint.tls).toEqual({ verify: false });
  });

  test('a context without TLS files must be plain TCP, whatever DOCKER_TLS_VERIFY says', () => {
    writeContext('plain', 'tcp://127.0.0.1:2375');
    const { endpoint } = resolveEndpoint(env({ DOCKER_CONTEXT: 'plain', DOCKER_TLS_VERIFY: '1' }));
    expect(endpoint.kind === 'tcp' && endpoint.tls).toBeUndefined();
  });
});

describe('plaintext warning', () => {
  test('plain tcp:// to another machine must warn', () => {
    const { warnings } = resolveEndpoint(env({ DOCKER_HOST: 'tcp://10.1.2.3:2375' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^tcp:\/\/10\.1\.2\.3:2375 \(from DOCKER_HOST\) is a plaintext connection/);
  });

  test.each(['tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375'])('plain %s (loopback) must not warn', (host) => {
    expect(resolveEndpoint(env({ DOCKER_HOST: host })).warnings).toEqual([]);
  });

  test('tcp:// with TLS to another machine must not warn', () => {
    writeCerts(configDir);
    expect(resolveEndpoint(env({ DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_TLS_VERIFY: '1' })).warnings).toEqual([]);
  });
});

describe('parseDockerHost', () => {
  test('unix:// without a path must mean the default socket', () => {
    expect(parseDockerHost('unix://', false)).toEqual({ kind: 'unix', url: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' });
  });

  test('an address without a scheme must be tcp://, and tcp:// without a port must use 2375', () => {
    expect(parseDockerHost('127.0.0.1:1234', false)).toEqual({ kind: 'tcp', url: 'tcp://127.0.0.1:1234', host: '127.0.0.1', port: 1234 });
    expect(parseDockerHost('tcp://127.0.0.1', true)).toMatchObject({ url: 'tcp://127.0.0.1:2375', port: 2375 });
  });

  test('an IPv6 tcp address must keep its brackets in the URL only', () => {
    expect(parseDockerHost('tcp://[::1]:2375', false)).toMatchObject({ url: 'tcp://[::1]:2375', host: '::1' });
  });

  test('npipe:// must be rejected on this platform with what to use instead', () => {
    expect(() => parseDockerHost('npipe:////./pipe/docker_engine', false)).toThrow(/Windows named pipe.*use unix:\/\/\/var\/run\/docker.sock/);
  });

  test.each(['http://127.0.0.1:2375', 'fd://', 'tcp://127.0.0.1:2375/prefix'])('%s must be rejected', (value) => {
    expect(() => parseDockerHost(value, false)).toThrow(/not supported|unsupported scheme/);
  });

  test('ssh:// must give user, host, port and remote socket', () => {
    expect(parseDockerHost('ssh://me@example.com:2222/run/user/1000/docker.sock', false)).toEqual({
      kind: 'ssh',
      url: 'ssh://me@example.com:2222/run/user/1000/docker.sock',
      host: 'example.com',
      user: 'me',
      port: 2222,
      remoteSocket: '/run/user/1000/docker.sock',
    });
    expect(parseDockerHost('ssh://example.com', false)).toEqual({ kind: 'ssh', url: 'ssh://example.com', host: 'example.com' });
  });

  test('an ssh host starting with "-" must be rejected (it would be read as an ssh option)', () => {
    expect(() => parseDockerHost('ssh://-oProxyCommand=touch%20x', false)).toThrow(/must not start with "-"/);
  });

  test('an ssh address with a password must be rejected', () => {
    expect(() => parseDockerHost('ssh://me:secret@example.com', false)).toThrow(/password/);
  });

  test('a bad DOCKER_HOST must be an EngineError naming the variable', () => {
    const error = resolveError({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' });
    expect(error.kind).toBe('bad-endpoint');
    expect(error.message).toMatch(/^DOCKER_HOST=npipe:\/\/\/\/\.\/pipe\/docker_engine: /);
  });
});
