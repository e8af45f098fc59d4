/**
 * Differential test against the reference implementation, through the CLI: for each project under
 * test/fixtures/differential/, the containers `tscompose up -d` creates must `docker inspect` the
 * same as those Docker Compose 2.26 creates (configuration, host configuration, mounts, networks
 * and aliases), ignoring ids, hashes, timestamps and runtime state.
 *
 * Docker Compose is not needed to run the test: its normalised inspect output is stored next to
 * each fixture (reference-inspect.json). `bash scripts/regenerate-differential-goldens.sh` brings
 * each project up with docker-compose and rewrites those files.
 *
 * A case may also hold `image/` (built with `docker build` as `tscl-diffimage-<case>` before either
 * tool runs, for images neither tool should build), `shell.env` (`KEY=VALUE` lines set in the
 * environment of both tools) and `probe-files.txt` (`service path` lines: the mode, owner and
 * content of files the tools copy into containers, such as secrets and configs).
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker } from '../support/docker-cli.js';
import { fixture, TestProject } from './lifecycle-support.js';

jest.setTimeout(120_000);

const run = promisify(execFile);
const REGENERATE = process.env.TSCOMPOSE_REGENERATE_GOLDENS === '1';
const CASES_DIR = fixture('differential');
const CASES = readdirSync(CASES_DIR).sort();
const GOLDEN = 'reference-inspect.json';

type Inspect = Record<string, any>;

/**
 * Labels that differ by design: each tool's version and bookkeeping, and the config hash, which
 * covers the project's absolute paths (another directory than the stored run's; the hash itself is
 * compared live by compat-switching.test.ts).
 */
const OWN_LABELS = new Set(['com.docker.compose.config-hash', 'com.docker.compose.version', 'com.docker.compose.replace']);

const byKey = (key: string) => (a: Inspect, b: Inspect) => String(a[key]).localeCompare(String(b[key]));

async function inspectProject(project: string): Promise<Inspect[]> {
  const ids = (await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).split('\n').filter(Boolean);
  return ids.length === 0 ? [] : (JSON.parse(await docker('inspect', ...ids)) as Inspect[]);
}

/**
 * What must agree, keyed by container name: the create-time configuration as the engine stored
 * it. The project name becomes `P`, the project directory `<dir>`, container ids the containers'
 * names, 64-hex names (anonymous volumes, image ids) `<hex>`; volume paths on the engine host,
 * MAC addresses and IP addresses the engine assigns are runtime facts, left out.
 */
function normalise(all: readonly Inspect[], project: string, dir: string): Record<string, Inspect> {
  const result: Record<string, Inspect> = {};
  for (const details of all) {
    let text = JSON.stringify(details);
    for (const other of all) text = text.split(other.Id).join(other.Name.slice(1));
    text = text.split(dir).join('<dir>').split(project).join('P').replace(/\b[0-9a-f]{64}\b/g, '<hex>');
    const c = JSON.parse(text);
    const shortId = details.Id.slice(0, 12);
    const labels = Object.fromEntries(
      Object.entries(c.Config.Labels as Record<string, string>)
        .filter(([key]) => !OWN_LABELS.has(key) && !key.startsWith('io.tscompose.'))
        // Compose writes the depends_on entries in Go's random map order.
        .map(([key, value]) => [key, key === 'com.docker.compose.depends_on' ? value.split(',').sort().join(',') : value]),
    );
    const { Hostname, Env, Labels: _labels, ...config } = c.Config;
    result[c.Name.slice(1)] = {
      Config: { ...config, Hostname: Hostname === shortId ? '<id>' : Hostname, Env: [...Env].sort(), Labels: labels },
      HostConfig: {
        ...c.HostConfig,
        Binds: c.HostConfig.Binds ? [...c.HostConfig.Binds].sort() : null,
        Mounts: c.HostConfig.Mounts ? [...c.HostConfig.Mounts].sort(byKey('Target')) : null,
        Ulimits: c.HostConfig.Ulimits ? [...c.HostConfig.Ulimits].sort(byKey('Name')) : null,
      },
      Networks: Object.fromEntries(
        Object.entries(c.NetworkSettings.Networks as Record<string, Inspect>)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, network]) => [
            name,
            {
              IPAMConfig: network.IPAMConfig,
              Links: network.Links ? [...network.Links].sort() : null,
              // A set: Compose repeats an alias that equals the service name, tscompose does not (same DNS names).
              Aliases: network.Aliases ? [...new Set((network.Aliases as string[]).filter((alias) => alias !== shortId))].sort() : null,
              DriverOpts: network.DriverOpts,
            },
          ]),
      ),
      Mounts: (c.Mounts as Inspect[])
        .map(({ Source, ...mount }) => (mount.Type === 'volume' ? mount : { ...mount, Source }))
        .sort(byKey('Destination')),
    };
  }
  return result;
}

/** The lines of an optional case file, without blank lines and `#` comments. */
function caseLines(caseDir: string, file: string): string[] {
  const path = join(caseDir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/** `KEY=VALUE` lines of a case's shell.env. */
function caseEnvironment(caseDir: string): Record<string, string> {
  return Object.fromEntries(caseLines(caseDir, 'shell.env').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** `service path` lines of a case's probe-files.txt. */
function probedFiles(caseDir: string): { service: string; path: string }[] {
  return caseLines(caseDir, 'probe-files.txt')
    .map((line) => {
      const [service, path] = line.trim().split(/\s+/);
      return { service, path };
    });
}

/** Mode, owner and content of each probed file, keyed like normalise's result (`P-<service>-1`). */
async function probeFiles(project: string, caseDir: string): Promise<Record<string, Record<string, string>>> {
  const result: Record<string, Record<string, string>> = {};
  for (const { service, path } of probedFiles(caseDir)) {
    const seen = await docker('exec', `${project}-${service}-1`, 'sh', '-c', 'stat -c "%a %u:%g" "$1" && cat "$1"', 'probe', path);
    (result[`P-${service}-1`] ??= {})[path] = seen;
  }
  return result;
}

async function inspectAndProbe(project: string, dir: string, caseDir: string): Promise<Record<string, Inspect>> {
  const normalised = normalise(await inspectProject(project), project, dir);
  for (const [container, files] of Object.entries(await probeFiles(project, caseDir))) normalised[container].Files = files;
  return normalised;
}

const caseImage = (name: string) => `tscl-diffimage-${name}:latest`;

describe('containers created by tscompose up -d and by Docker Compose up -d', () => {
  const projects: TestProject[] = [];
  const images: string[] = [];

  afterAll(async () => {
    for (const project of projects) {
      await project.cleanup();
      rmSync(project.dir, { recursive: true, force: true });
    }
    if (images.length > 0) await docker('rmi', ...images).catch(() => undefined);
  });

  test.each(CASES)('%s must inspect the same as the reference', async (name) => {
    const project = new TestProject(`tscl-diff-${name}`, mkdtempSync(join(tmpdir(), `tscl-diff-${name}-`)));
    projects.push(project);
    cpSync(join(CASES_DIR, name), project.dir, { recursive: true });
    rmSync(join(project.dir, GOLDEN), { force: true });
    await project.cleanup();
    if (existsSync(join(CASES_DIR, name, 'image'))) {
      images.push(caseImage(name));
      await run('docker', ['build', '-q', '-t', caseImage(name), join(CASES_DIR, name, 'image')], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    }

    const goldenPath = join(CASES_DIR, name, GOLDEN);
    if (REGENERATE) {
      const reference = `${project.name}-ref`;
      const compose = (...args: string[]) =>
        run('docker-compose', ['-p', reference, ...args], { cwd: project.dir, env: { ...process.env, ...caseEnvironment(project.dir) } });
      await compose('up', '-d');
      const expected = await inspectAndProbe(reference, project.dir, project.dir);
      await compose('down', '--volumes', '--timeout', '0');
      writeFileSync(goldenPath, `${JSON.stringify(expected, null, 2)}\n`);
    }
    expect(existsSync(goldenPath)).toBe(true);
    const expected = JSON.parse(readFileSync(goldenPath, 'utf8')) as Record<string, Inspect>;

    await project.ok(['up', '-d'], { env: caseEnvironment(project.dir) });
    const actual = await inspectAndProbe(project.name, project.dir, project.dir);
    await project.ok(['down', '-v', '-t', '0']);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const container of Object.keys(expected)) expect({ [container]: actual[container] }).toEqual({ [container]: expected[container] });
  });
});

describe('deliberate differences from Docker Compose', () => {
  const project = new TestProject('tscl-diff-vfro', fixture('volumes-from-ro'));

  beforeAll(() => project.cleanup());
  afterAll(() => project.cleanup());

  test('volumes_from service:ro must mount the volumes read-only (Compose mounts them read-write)', async () => {
    await project.ok(['up', '-d']);
    const [side] = JSON.parse(await docker('inspect', 'tscl-diff-vfro-side-1')) as Inspect[];
    expect(side.HostConfig.VolumesFrom).toHaveLength(1);
    expect(side.HostConfig.VolumesFrom[0]).toMatch(/:ro$/);
    expect(side.Mounts.map((mount: Inspect) => `${mount.Destination} ${mount.RW}`)).toEqual(['/cache false']);
  });
});
