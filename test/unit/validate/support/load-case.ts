/**
 * Loads one fixture directory (compose.yaml, optionally compose.override.yaml and .env) with the
 * real loader, as `tscompose` run in that directory would: discovery, .env, interpolation and
 * the override merge all happen before validation, so positions are checked after them.
 */
import { load, type LoadedProject, type LoadOptions } from '../../../../src/load/index.js';

export async function loadCase(dir: string, profiles: readonly string[] = []): Promise<LoadedProject> {
  const options: LoadOptions = {
    cwd: dir,
    // only the fixture's .env feeds interpolation, whatever the shell running the tests has set
    env: {},
    files: [],
    envFiles: [],
    profiles,
    services: [],
    interpolate: true,
    readStdin: async () => '',
  };
  return load(options);
}
