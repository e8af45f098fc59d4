/**
 * The loader: everything that reads files happens here; the stages after it are pure.
 *
 * Order (Compose 2.26's): find the files -> read the project env file(s) -> COMPOSE_FILE from
 * .env -> parse -> project name (from -p, COMPOSE_PROJECT_NAME, `name:`, the directory) ->
 * per file and document: interpolate, extends, include, merge -> profiles -> env_file folded
 * into environment for the enabled services. Every problem found on the way is collected and
 * thrown at the end as one ConfigError.
 */
import path from 'node:path';
import { ConfigError, type Problem } from '../errors.js';
import { defaultEnvFile, envRecord, readEnvFiles, type EnvFileRef } from './env-files.js';
import { composeFileVariable, discoverFiles, explicitFiles, STDIN, type FoundFiles } from './find-files.js';
import { foldEnvFiles } from './fold-env-files.js';
import { substitute, SubstitutionError } from './interpolate.js';
import { loadFiles, readComposeFile } from './load-files.js';
import { entryLocation } from './located.js';
import { isMapping } from './merge.js';
import { DEFAULT_YAML_BUDGETS, type YamlBudgets } from './parse-yaml.js';
import { parseProfileList, selectProfiles } from './profiles.js';
import { normalisedNameWarning, resolveProjectName, type NameSource } from './project-name.js';
import { missingReferencedSources } from './referenced-sources.js';
import { makeScope } from './scope.js';
import { LoadSession } from './session.js';
import type { Env, LoadedProject, LoadOptions } from './types.js';
import { serviceSuggestion } from '../validate/no-such-service.js';

export type { Env, LoadedProject, LoadOptions } from './types.js';
export { selectProfiles, parseProfileList, type ProfileSelection } from './profiles.js';
export { normalizeProjectName, isValidProjectName } from './project-name.js';

function definedEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(env)) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The YAML budgets: given by the caller, else the defaults with TSCOMPOSE_MAX_FILE_SIZE (bytes) applied. */
function budgetsFor(options: LoadOptions, shell: Record<string, string>): YamlBudgets {
  if (options.budgets) return options.budgets;
  const maxFileBytes = Number(shell.TSCOMPOSE_MAX_FILE_SIZE);
  return Number.isInteger(maxFileBytes) && maxFileBytes > 0 ? { ...DEFAULT_YAML_BUDGETS, maxFileBytes } : DEFAULT_YAML_BUDGETS;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'y', 'on'].includes(value.toLowerCase());
}

/** Loads, interpolates and merges the project's compose files. Throws ConfigError with every problem found. */
export async function load(options: LoadOptions): Promise<LoadedProject> {
  const shell = definedEnv(options.env);
  const cwd = path.resolve(options.cwd);
  const session = new LoadSession(options.interpolate, budgetsFor(options, shell), cwd);
  const projectDirectory = options.projectDirectory !== undefined ? path.resolve(cwd, options.projectDirectory) : undefined;

  // Which files: -f, else COMPOSE_FILE, else discovery from the project directory or cwd.
  let files: string[] = [];
  let discovered: FoundFiles | undefined;
  const explicit = options.files.length > 0 ? options.files : composeFileVariable(shell);
  if (explicit.length > 0) files = explicitFiles(explicit, cwd);
  else {
    discovered = discoverFiles(projectDirectory ?? cwd);
    if (discovered) files = discovered.files;
  }
  // The first file that is not stdin gives the project directory (compose-go skips `-`).
  const projectDirOf = (list: readonly string[]): string => {
    const first = list.find((file) => file !== STDIN);
    return projectDirectory ?? (first !== undefined ? path.dirname(first) : cwd);
  };
  let workingDir = projectDirOf(files);

  // The project env file(s): --env-file (or COMPOSE_ENV_FILES) replaces the implicit .env.
  const shellLookup = (name: string): string | undefined => (Object.prototype.hasOwnProperty.call(shell, name) ? shell[name] : undefined);
  const requestedEnvFiles = options.envFiles.length > 0 ? options.envFiles : parseProfileList(shell.COMPOSE_ENV_FILES);
  const envRefs: EnvFileRef[] =
    requestedEnvFiles.length > 0
      ? requestedEnvFiles.map((file) => ({ file: path.resolve(cwd, file), required: true }))
      : truthy(shell.COMPOSE_DISABLE_ENV_FILE)
        ? []
        : [defaultEnvFile(workingDir)].filter((f): f is string => f !== undefined).map((file) => ({ file, required: true }));
  const dotenvValues = readEnvFiles(session, envRefs, { outer: shellLookup, earlierFilesFirst: false, missing: (f) => `Couldn't find env file: ${f}` });
  const dotenv = envRecord(dotenvValues);
  const envFiles = envRefs.map((ref) => ref.file).filter((file) => session.sources.has(file));
  const baseEnv: Record<string, string> = { ...dotenv, ...shell };

  // COMPOSE_FILE may also come from the env file.
  if (options.files.length === 0 && shell.COMPOSE_FILE === undefined && dotenv.COMPOSE_FILE) {
    files = explicitFiles(composeFileVariable(baseEnv), cwd);
    discovered = undefined;
    workingDir = projectDirOf(files);
  }
  for (const warning of discovered?.warnings ?? []) session.warn(warning);
  if (files.length === 0) {
    throw new ConfigError(
      [
        ...session.problems,
        {
          path: '',
          message: 'no configuration file provided: not found',
          hint: `create a compose.yaml in ${projectDirectory ?? cwd} (or a parent directory), or name one with -f`,
        },
      ],
      session.sources,
    );
  }

  // Parse every file first: the project name may come from a `name:` in any of them.
  const documents = new Map<string, unknown[] | undefined>();
  for (const file of files) {
    const text = file === STDIN ? await options.readStdin() : undefined;
    documents.set(file, readComposeFile(session, { name: file, text }));
  }

  const resolved = resolveProjectName({
    flag: options.projectName,
    variable:
      shell.COMPOSE_PROJECT_NAME !== undefined
        ? { value: shell.COMPOSE_PROJECT_NAME }
        : dotenvValues.get('COMPOSE_PROJECT_NAME'),
    fromFiles: nameFromFiles(session, documents, baseEnv),
    workingDir,
  });
  if ('problem' in resolved) throw new ConfigError([...session.problems, resolved.problem], session.sources);
  const { name } = resolved;
  if (resolved.normalised) session.warnAt(resolved.normalised.location, normalisedNameWarning(resolved.normalised.from, name));
  // Compose always exposes the final name to interpolation.
  const environment: Record<string, string> = { ...baseEnv, COMPOSE_PROJECT_NAME: name };
  const scope = makeScope(workingDir, environment);

  const tree = loadFiles(
    session,
    scope,
    files.map((file) => ({ name: file })),
    documents,
  );
  if (session.problems.length === 0 && Object.keys(tree).length === 0) {
    session.problem({ path: '', location: { file: files[0], line: 1, col: 1 }, message: 'empty compose file' });
  }

  const requestedProfiles = options.profiles.length > 0 ? options.profiles : parseProfileList(shell.COMPOSE_PROFILES ?? dotenv.COMPOSE_PROFILES);
  const selection = selectProfiles(tree.services, requestedProfiles, options.services);
  for (const unknown of selection.unknown) session.problem(noSuchService(unknown, Object.keys(isMapping(tree.services) ? tree.services : {})));

  // Without interpolation Compose prints env_file as a reference and reads nothing, and secret
  // and config sources are not looked at.
  if (session.interpolate) {
    foldEnvFiles(session, tree, selection.enabled, workingDir, scope.lookup);
    session.valueProblems.push(...missingReferencedSources(tree, selection.enabled, workingDir, environment));
  }

  if (session.problems.length > 0) throw new ConfigError([...session.problems, ...session.valueProblems], session.sources);
  return {
    tree,
    name,
    workingDir,
    configFiles: files,
    envFiles,
    envFilesRequested: requestedEnvFiles.length > 0,
    environment,
    activeProfiles: selection.activeProfiles,
    enabledServices: selection.enabled,
    sources: session.sources,
    warnings: session.warnings,
    problems: session.valueProblems,
  };
}

function noSuchService(name: string, known: readonly string[]): Problem {
  const hint = serviceSuggestion(name, known) ?? 'check the service names with `tscompose config --services`';
  return { path: '', message: `no such service: ${name}`, hint };
}

/** The last non-empty top-level `name:` across the files, interpolated (Compose reads it before the rest). */
function nameFromFiles(session: LoadSession, documents: ReadonlyMap<string, unknown[] | undefined>, env: Record<string, string>): NameSource | undefined {
  let found: NameSource | undefined;
  for (const docs of documents.values()) {
    for (const doc of docs ?? []) {
      if (isMapping(doc) && typeof doc.name === 'string' && doc.name !== '') found = { value: doc.name, location: entryLocation(doc, 'name') };
    }
  }
  if (!found || !session.interpolate) return found;
  try {
    // Unset-variable warnings come again when the document itself is interpolated.
    const value = substitute(found.value, (n) => (Object.prototype.hasOwnProperty.call(env, n) ? env[n] : undefined), () => undefined);
    return { value, location: found.location };
  } catch (error) {
    if (!(error instanceof SubstitutionError)) throw error;
    // The same error is reported when the document is interpolated; fall back to the directory.
    return undefined;
  }
}
