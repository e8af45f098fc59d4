/**
 * Builders for the watch unit tests: a project from inline YAML (the model's test loader, project
 * directory /projects/demo), and its watch targets with the file kinds given by the test (the
 * pure code never looks at the file system).
 */
import { join } from 'node:path';
import type { Project } from '../../../src/model/types.js';
import { watchTargets, type PathKind, type WatchTargetsInput, type WatchTargetsResult } from '../../../src/watch/watch-targets.js';
import { projectFrom, WORKING_DIR } from '../model/support.js';

export { WORKING_DIR };

export const at = (path: string): string => join(WORKING_DIR, path);

export function targetsFor(
  yaml: string,
  options: { kinds?: Record<string, PathKind>; services?: string[]; dockerignores?: Record<string, string>; noBuild?: boolean; projectFiles?: string[] } = {},
): WatchTargetsResult & { project: Project } {
  const project = projectFrom(yaml);
  const input: WatchTargetsInput = {
    project,
    services: options.services ?? [],
    kinds: new Map(Object.entries(options.kinds ?? {}).map(([path, kind]) => [path.startsWith('/') ? path : at(path), kind])),
    dockerignores: new Map(Object.entries(options.dockerignores ?? {})),
    projectFiles: options.projectFiles ?? [at('compose.yaml'), at('.env')],
    ...(options.noBuild ? { noBuild: true } : {}),
  };
  return { ...watchTargets(input), project };
}
