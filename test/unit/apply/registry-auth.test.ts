import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerCredentials, registryOf, withLoginHint } from '../../../src/apply/registry-auth.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsce-auth-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('dockerCredentials', () => {
  test('auths in DOCKER_CONFIG must be found by registry host, with or without a scheme, Docker Hub under its v1 key', async () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          '127.0.0.1:5056': { auth: auth('alice', 'pw:with:colons') },
          'https://registry.example:443/v2/': { auth: auth('bob', 'b') },
          'https://index.docker.io/v1/': { identitytoken: 'tok' },
        },
      }),
    );
    const lookup = dockerCredentials({ env: { DOCKER_CONFIG: dir } });
    expect(await lookup.forHost('127.0.0.1:5056')).toEqual({ username: 'alice', secret: 'pw:with:colons' });
    expect(await lookup.forHost('registry.example:443')).toEqual({ username: 'bob', secret: 'b' });
    expect(await lookup.forHost('registry-1.docker.io')).toEqual({ username: '', secret: 'tok' });
    expect(await lookup.forHost('elsewhere.example')).toBeUndefined();
    expect(Object.keys(await lookup.all()).sort()).toEqual(['127.0.0.1:5056', 'https://index.docker.io/v1/', 'https://registry.example:443/v2/']);
  });

  test('a credential helper must be asked with the server on stdin; "not found" means no credentials', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const helper = join(bin, 'docker-credential-tsce');
    writeFileSync(
      helper,
      '#!/bin/sh\nread server\nif [ "$server" = "reg.example" ]; then echo \'{"ServerURL":"reg.example","Username":"carol","Secret":"s3"}\'; else echo "credentials not found in native keychain"; exit 1; fi\n',
    );
    chmodSync(helper, 0o755);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'reg.example': 'tsce' }, credsStore: 'tsce' }));
    const lookup = dockerCredentials({ env: { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env.PATH}` } });
    expect(await lookup.forHost('reg.example')).toEqual({ username: 'carol', secret: 's3' });
    expect(await lookup.forHost('other.example')).toBeUndefined();
  });

  test('a helper that is not installed must be named, without any credential in the message', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credsStore: 'missing-helper' }));
    await expect(dockerCredentials({ env: { DOCKER_CONFIG: dir, PATH: '/nonexistent' } }).forHost('reg.example')).rejects.toThrow(
      'could not read the credentials for reg.example from docker-credential-missing-helper: it is not installed (not on PATH)',
    );
  });

  test('no config file must mean no credentials', async () => {
    expect(await dockerCredentials({ env: { DOCKER_CONFIG: join(dir, 'none') } }).forHost('reg.example')).toBeUndefined();
  });
});

describe('registryOf and login hints', () => {
  test('the registry of a reference must be its first component when it names a host, else Docker Hub', () => {
    expect(registryOf('127.0.0.1:5055/app:1')).toBe('127.0.0.1:5055');
    expect(registryOf('localhost/app')).toBe('localhost');
    expect(registryOf('library/nginx')).toBe('https://index.docker.io/v1/');
    expect(registryOf('nginx:1')).toBe('https://index.docker.io/v1/');
  });

  test('an authentication failure must say how to log in', async () => {
    await expect(withLoginHint('127.0.0.1:5056/app:1', Promise.reject(new Error('no basic auth credentials')))).rejects.toThrow(
      'no basic auth credentials (log in with: docker login 127.0.0.1:5056)',
    );
  });
});
