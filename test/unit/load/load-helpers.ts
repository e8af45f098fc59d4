/**
 * Test helpers for the loader: write inline files into a fresh temporary directory, then call
 * load() with Compose's defaults (no -f, no profiles, an empty shell environment). The
 * directories a test file made are removed once its tests are done.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { load } from '../../../src/load/index.js';
import type { LoadedProject, LoadOptions } from '../../../src/load/types.js';

const roots: string[] = [];

// Registered in every test file that imports these helpers (each file gets its own module copy).
afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Creates a temporary directory holding `files` (relative path -> text); returns its path. */
export function project(files: Record<string, string>, name = 'proj'): string {
  const root = mkdtempSync(path.join(tmpdir(), 'tscompose-load-'));
  roots.push(root);
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

export function loadIn(dir: string, options: Partial<LoadOptions> = {}): Promise<LoadedProject> {
  return load({
    cwd: dir,
    env: {},
    files: [],
    envFiles: [],
    profiles: [],
    services: [],
    interpolate: true,
    readStdin: async () => '',
    ...options,
  });
}

/** Loads and expects a ConfigError; returns it. */
export async function loadError(dir: string, options: Partial<LoadOptions> = {}): Promise<ConfigError> {
  try {
    await loadIn(dir, options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected load() to fail with a ConfigError');
}

/** The services mapping of a loaded tree. */
export function services(result: LoadedProject): Record<string, Record<string, unknown>> {
  return result.tree.services as Record<string, Record<string, unknown>>;
}
