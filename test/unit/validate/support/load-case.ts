/**
 * Loads one fixture directory (compose.yaml, optionally compose.override.yaml and .env) with the
 * real loader, as `tscompose` run in that directory would: discovery, .env, interpolation and
 * the override merge all happen before validation, so positions are checked after them.
 */
import { load, type LoadedProject, type LoadOptions } from '../../../../src/load/index.js';

/** What a case may set on the command line and in the shell. */
export interface CaseOptions {
  readonly profiles?: readonly string[];
  readonly files?: readonly string[];
  readonly projectName?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export async function loadCase(dir: string, options: CaseOptions = {}): Promise<LoadedProject> {
  const loadOptions: LoadOptions = {
    cwd: dir,
    // only the fixture's .env feeds interpolation, whatever the shell running the tests has set
    env: options.env ?? {},
    files: options.files ?? [],
    projectName: options.projectName,
    envFiles: [],
    profiles: options.profiles ?? [],
    services: [],
    interpolate: true,
    readStdin: async () => '',
  };
  return load(loadOptions);
}
