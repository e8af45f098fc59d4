/**
 * Containers made with the docker CLI and the labels Docker Compose writes, so `ps` and `logs`
 * are tested against the engine state any Compose-compatible tool leaves behind, without
 * depending on `tscompose up` or on Docker Compose being installed (CI has neither).
 */
import { docker } from '../support/docker-cli.js';

export interface ComposeContainer {
  readonly project: string;
  readonly service: string;
  readonly number?: number;
  /** The compose file's directory, for the project labels. */
  readonly workingDir: string;
  readonly command: readonly string[];
  readonly oneoff?: boolean;
  /** `docker run` flags such as `-p 127.0.0.1::80` or `--restart on-failure:2`. */
  readonly flags?: readonly string[];
  /** Create only; do not start. */
  readonly createOnly?: boolean;
}

export function composeName(container: ComposeContainer): string {
  return container.oneoff
    ? `${container.project}-${container.service}-run-${String(container.number ?? 1).padStart(12, '0')}`
    : `${container.project}-${container.service}-${container.number ?? 1}`;
}

/** Runs (or creates) the container; returns its full ID. */
export async function composeContainer(container: ComposeContainer): Promise<string> {
  const labels: Record<string, string> = {
    'com.docker.compose.project': container.project,
    'com.docker.compose.service': container.service,
    'com.docker.compose.container-number': String(container.number ?? 1),
    'com.docker.compose.oneoff': container.oneoff ? 'True' : 'False',
    'com.docker.compose.config-hash': 'test',
    'com.docker.compose.depends_on': '',
    'com.docker.compose.project.working_dir': container.workingDir,
    'com.docker.compose.project.config_files': `${container.workingDir}/compose.yaml`,
    'com.docker.compose.version': '2.26.1',
  };
  const labelFlags = Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  const verb = container.createOnly ? ['create'] : ['run', '-d'];
  return docker(...verb, '--name', composeName(container), ...labelFlags, ...(container.flags ?? []), 'tscompose-test/busybox:latest', ...container.command);
}

/** Waits until the container has stopped; returns its exit code. */
export async function waitFor(id: string): Promise<number> {
  return Number(await docker('wait', id));
}
