/**
 * Shared by the build-*.test.ts files: a project written into a temporary directory per test
 * (compose file, Dockerfiles, contexts), the CLI run in it, and cleanup of everything labelled
 * with its project name (containers, networks, volumes, images) plus the directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { docker } from '../support/docker-cli.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { removeProject } from './engine-support.js';

export interface BuildProject {
  readonly name: string;
  readonly dir: string;
  write(files: Readonly<Record<string, string>>): void;
  cli(args: readonly string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** `cat` of files in a throw-away container of `image` (labelled for cleanup). */
  read(image: string, ...paths: string[]): Promise<string>;
}

const created: BuildProject[] = [];

export function buildProject(name: string, files: Readonly<Record<string, string>> = {}): BuildProject {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const project: BuildProject = {
    name,
    dir,
    write(entries) {
      for (const [path, content] of Object.entries(entries)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
    cli: (args, env = {}) => runCli(['-p', name, ...args], { cwd: dir, env, timeoutMs: 180_000 }),
    read: (image, ...paths) => docker('run', '--rm', '--label', `com.docker.compose.project=${name}`, image, 'cat', ...paths),
  };
  project.write(files);
  created.push(project);
  return project;
}

/** For afterAll: removes every project made by buildProject in this file, and its directory. */
export async function removeBuildProjects(): Promise<void> {
  for (const project of created.splice(0)) {
    await removeProject(project.name);
    rmSync(project.dir, { recursive: true, force: true });
  }
}

/** Images labelled with the project, by tag (what a build left behind). */
export async function imageExists(reference: string): Promise<boolean> {
  return docker('image', 'inspect', reference).then(
    () => true,
    () => false,
  );
}

/** A value that appears nowhere else (secrets, cache ids): random, and without hex-only runs. */
export function uniqueText(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}
