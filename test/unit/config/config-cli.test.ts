/**
 * `tscompose config` as users run it (the bundled CLI): flags, exit codes and files. The golden
 * corpus covers what is printed; these tests cover the command line around it. They run the unit
 * project's own bundle (built by its global setup), so they need no `npm run build` first.
 */
import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli as runBundledCli, unitCliPath, type CliOptions, type CliResult } from '../../support/run-cli.js';

// Each test runs the CLI: seconds, not milliseconds, on a busy machine.
jest.setTimeout(30_000);

function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return runBundledCli(args, { cli: unitCliPath, ...options });
}

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-config-cli-'));
  fs.writeFileSync(
    path.join(dir, 'compose.yaml'),
    'services:\n  web:\n    image: ${WEB_IMAGE:-nginx}\n    depends_on: [db]\n  db:\n    image: postgres\n    volumes: [data:/data]\nvolumes:\n  data:\n',
  );
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'services:\n  web:\n    image: ${WEB_IMAGE:-nginx}\n    ports: ["80:abc"]\n');
  fs.writeFileSync(
    path.join(dir, 'mixed-problems.yaml'),
    'services:\n  web:\n    image: nginx\n    environment:\n      PASSWORD: ${PASSWORD:?PASSWORD must be set}\n    ports: "${PORT:?}"\n    restart: sometimes\n',
  );
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('config --format json must print JSON and exit 0', async () => {
  const result = await runCli(['config', '--format', 'json'], { cwd: dir });
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).services.web.depends_on.db).toEqual({ condition: 'service_started', required: true });
});

test('config must print YAML by default', async () => {
  const result = await runCli(['config'], { cwd: dir });
  expect(result.stdout.startsWith(`name: ${path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '')}\nservices:\n`)).toBe(true);
});

test('config -o must write the file and print nothing', async () => {
  const result = await runCli(['config', '--format', 'json', '-o', 'out.json'], { cwd: dir });
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).volumes.data).toBeDefined();
});

test('config -q must print nothing for a valid project', async () => {
  const result = await runCli(['config', '-q'], { cwd: dir });
  expect([result.code, result.stdout]).toEqual([0, '']);
});

test('config -q must fail with the position of the problem for an invalid project', async () => {
  const result = await runCli(['-f', 'broken.yaml', 'config', '-q'], { cwd: dir });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('broken.yaml:4:');
});

test('config with service names must print those services and their dependencies', async () => {
  const result = await runCli(['config', '--format', 'json', 'db'], { cwd: dir });
  expect(Object.keys(JSON.parse(result.stdout).services)).toEqual(['db']);
});

test('config with an unknown service must fail with Compose message', async () => {
  const result = await runCli(['config', 'nope'], { cwd: dir });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('no such service: nope');
});

test('config --services must list dependencies first', async () => {
  const result = await runCli(['config', '--services'], { cwd: dir });
  expect(result.stdout).toBe('db\nweb\n');
});

test('config --volumes and --networks must list the project resources', async () => {
  expect((await runCli(['config', '--volumes'], { cwd: dir })).stdout).toBe('data\n');
  expect((await runCli(['config', '--networks'], { cwd: dir })).stdout).toBe('default\n');
});

test('an unsupported format must be refused', async () => {
  const result = await runCli(['config', '--format', 'toml'], { cwd: dir });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/toml/);
});

test("config --hash '*' must print each service with its config hash, sorted", async () => {
  const result = await runCli(['config', '--hash', '*'], { cwd: dir });
  expect(result.stdout).toMatch(/^db [0-9a-f]{64}\nweb [0-9a-f]{64}\n$/);
});

test('config --hash must follow the service config, and refuse unknown services', async () => {
  const before = (await runCli(['config', '--hash', 'web'], { cwd: dir })).stdout;
  const changed = await runCli(['config', '--hash', 'web'], { cwd: dir, env: { WEB_IMAGE: 'nginx:2' } });
  expect(before).toMatch(/^web [0-9a-f]{64}\n$/);
  expect(changed.stdout).not.toBe(before);
  expect((await runCli(['config', '--hash', 'nope'], { cwd: dir })).stderr).toContain('no such service: nope');
});

test('an interpolation error must be reported together with the validation problems, without noise about the same value', async () => {
  const result = await runCli(['-f', 'mixed-problems.yaml', 'config'], { cwd: dir });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('mixed-problems.yaml:5:17  services.web.environment.PASSWORD  required variable PASSWORD is missing a value: PASSWORD must be set');
  expect(result.stderr).toContain('mixed-problems.yaml:7:14  services.web.restart  invalid restart policy');
  expect(result.stderr).toContain('services.web.ports  required variable PORT is missing a value');
  // The raw "${PORT:?}" text is not a list, but saying so would only repeat the first problem.
  expect(result.stderr).not.toContain('must be a list');
  expect(result.stderr).toContain('3 problems found');
});

describe('security warnings', () => {
  let privileged: string;
  beforeAll(() => {
    privileged = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-config-privileged-'));
    fs.writeFileSync(path.join(privileged, 'compose.yaml'), 'services:\n  agent:\n    image: agent\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n');
  });
  afterAll(() => fs.rmSync(privileged, { recursive: true, force: true }));

  test('a service with host-level access must get one warning line on stderr, and config output must stay intact', async () => {
    const result = await runCli(['config', '--format', 'json'], { cwd: privileged });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).services.agent.image).toBe('agent');
    expect(result.stderr).toBe(
      'WARN compose.yaml:4:15: service "agent" has host-level access: bind mount of /var/run/docker.sock (control of the engine) (TSCOMPOSE_NO_SECURITY_WARNINGS=1 hides this warning)\n',
    );
  });

  test('TSCOMPOSE_NO_SECURITY_WARNINGS=1 must silence the warning', async () => {
    const result = await runCli(['config', '-q'], { cwd: privileged, env: { TSCOMPOSE_NO_SECURITY_WARNINGS: '1' } });
    expect([result.code, result.stderr]).toEqual([0, '']);
  });
});
