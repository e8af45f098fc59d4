/**
 * The API's `run` against the real engine: the one-off container runs the command and gives back
 * its exit code and output, the service's dependencies are started first, and with `rm` nothing
 * of the one-off is left.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, type ComposeProject } from '../../src/api/index.js';
import { docker } from '../support/docker-cli.js';
// The session imports these lazily; jest's ESM loader needs them loaded first.
import '../../src/apply/project-lock.js';
import '../../src/apply/seal-key.js';
import '../../src/apply/endpoint.js';
import '../../src/apply/docker-engine.js';

jest.setTimeout(90_000);

const NAME = 'api3-run';
const dir = mkdtempSync(join(tmpdir(), 'api3-run-'));
writeFileSync(
  join(dir, 'compose.yaml'),
  `services:
  db:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    init: true
  job:
    image: tscompose-test/busybox:latest
    depends_on: [db]
`,
);
let project: ComposeProject;

async function containers(filter: string): Promise<string[]> {
  const out = await docker('ps', '-a', '--filter', `label=com.docker.compose.project=${NAME}`, '--filter', filter, '--format', '{{.Names}} {{.State}}');
  return out === '' ? [] : out.split('\n').sort();
}

beforeAll(async () => {
  project = await loadProject({ cwd: dir, projectName: NAME });
  await project.down({ volumes: true, removeOrphans: true });
});

afterAll(async () => {
  await project.down({ volumes: true, removeOrphans: true });
  const left = await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${NAME}`);
  if (left !== '') await docker('rm', '-f', ...left.split('\n'));
  rmSync(dir, { recursive: true, force: true });
});

test('run must start the dependencies, return the exit code and output, and with rm leave no one-off container', async () => {
  const result = await project.run('job', ['sh', '-c', 'echo out $A; echo err >&2; exit 3'], { rm: true, env: { A: 'x' } });
  expect(result).toEqual({ exitCode: 3, stdout: 'out x\n', stderr: 'err\n' });
  expect(await containers('label=com.docker.compose.service=db')).toEqual([`${NAME}-db-1 running`]);
  expect(await containers('label=com.docker.compose.oneoff=True')).toEqual([]);
});

test('run without rm must leave the one-off container, named and labelled as Compose does', async () => {
  const result = await project.run('job', ['echo', 'kept'], { noDeps: true });
  expect(result).toEqual({ exitCode: 0, stdout: 'kept\n', stderr: '' });
  const oneOffs = await containers('label=com.docker.compose.oneoff=True');
  expect(oneOffs).toHaveLength(1);
  expect(oneOffs[0]).toMatch(new RegExp(`^${NAME}-job-run-[0-9a-f]{12} exited$`));
});
