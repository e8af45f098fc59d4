/**
 * Loads one fixture directory (compose.yaml, optionally compose.override.yaml and .env) into a
 * LoadedProject for the validator.
 *
 * Until the real loader (src/load/index.ts) is on main, a small stand-in does what these fixtures
 * need: parse with positions, interpolate `${VAR}` / `${VAR:-default}` / `$VAR` from `.env`,
 * merge the override (mappings deep, sequences appended, positions carried over) and work out
 * the enabled services from profiles. It takes the loader's own LoadOptions, so switching to the
 * real loader is the one line marked below (and its import).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { copyEntryLocation } from '../../../../src/load/located.js';
import { parseYaml } from '../../../../src/load/parse-yaml.js';
import type { LoadedProject, LoadOptions } from '../../../../src/load/types.js';

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
  return standInLoad(options); // the real loader: return load(options);
}

const FILES = ['compose.yaml', 'compose.override.yaml'];

async function standInLoad(options: LoadOptions): Promise<LoadedProject> {
  const dir = options.cwd;
  const profiles = options.profiles;
  const env = readDotEnv(join(dir, '.env'));
  const sources = new Map<string, string>();
  const configFiles: string[] = [];
  let tree: Record<string, unknown> = {};
  for (const name of FILES) {
    const file = resolve(dir, name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    sources.set(file, text);
    configFiles.push(file);
    const parsed = parseYaml(text, file);
    if (parsed.problems.length > 0) throw new Error(`fixture ${file} does not parse: ${parsed.problems[0].message}`);
    const document = parsed.documents[0];
    if (!isMapping(document)) throw new Error(`fixture ${file} is not a mapping`);
    interpolate(document, env);
    tree = configFiles.length === 1 ? document : merge(tree, document);
  }
  const services = isMapping(tree.services) ? tree.services : {};
  const enabledServices = Object.entries(services)
    .filter(([, service]) => {
      const own = isMapping(service) && Array.isArray(service.profiles) ? service.profiles : [];
      return own.length === 0 || own.some((profile) => profiles.includes(String(profile)));
    })
    .map(([name]) => name);
  return {
    tree,
    name: basename(dir),
    workingDir: dir,
    configFiles,
    envFiles: existsSync(join(dir, '.env')) ? [join(dir, '.env')] : [],
    environment: env,
    activeProfiles: [...profiles],
    enabledServices,
    sources,
    warnings: [],
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) out[match[1]] = match[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Replaces variables in every string value, in place, so positions stay where they were. */
function interpolate(node: Record<string, unknown> | unknown[], env: Record<string, string>): void {
  const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  for (const key of keys) {
    const value = (node as Record<string | number, unknown>)[key];
    if (typeof value === 'string') {
      (node as Record<string | number, unknown>)[key] = value.replace(VARIABLE, (whole, braced, fallback, bare) => {
        if (whole === '$$') return '$';
        const name = braced ?? bare;
        return env[name] ?? fallback ?? '';
      });
    } else if (typeof value === 'object' && value !== null) {
      interpolate(value as Record<string, unknown>, env);
    }
  }
}

/** Mappings merge key by key (override wins), sequences append; positions travel with entries. */
function merge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(override)) {
    const existing = base[key];
    if (isMapping(existing) && isMapping(value)) {
      merge(existing, value);
    } else if (Array.isArray(existing) && Array.isArray(value)) {
      value.forEach((item, index) => {
        existing.push(item);
        copyEntryLocation(value, index, existing, existing.length - 1);
      });
    } else {
      base[key] = value;
      copyEntryLocation(override, key, base);
    }
  }
  return base;
}
