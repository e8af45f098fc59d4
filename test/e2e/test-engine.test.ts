import { jest } from '@jest/globals';
import { docker } from '../support/docker-cli.js';

// A container run on a busy engine can take more than jest's default 5 s.
jest.setTimeout(60_000);

describe('the test engine', () => {
  test('the local busybox test image must run a command on the engine', async () => {
    const out = await docker('run', '--rm', '--label', 'com.docker.compose.project=tscompose-e2e-engine', 'tscompose-test/busybox:latest', 'sh', '-c', 'echo ready');
    expect(out).toBe('ready');
  });
});
