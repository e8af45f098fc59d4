/**
 * `tscompose config` must start fast: the modules it loads statically must not pull in the
 * engine client, the progress UI or the file watcher.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = fileURLToPath(new URL('../../../src', import.meta.url));
const HEAVY = ['dockerode', 'listr2', 'chokidar'];

/** Every module reachable through static, non-type imports from `entry`. */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const specifier = match[1];
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else seen.add(specifier);
    }
  }
  return seen;
}

test('the config command must not import dockerode, listr2 or chokidar', () => {
  const reachable = [...staticImports(path.join(srcDir, 'commands', 'config.ts'))];
  expect(reachable.filter((module) => HEAVY.some((heavy) => module === heavy || module.startsWith(`${heavy}/`)))).toEqual([]);
});

test('the CLI entry, with every command definition, must not import dockerode, listr2 or chokidar', () => {
  const reachable = [...staticImports(path.join(srcDir, 'cli.ts'))];
  expect(reachable.filter((module) => HEAVY.some((heavy) => module === heavy || module.startsWith(`${heavy}/`)))).toEqual([]);
});

test('the model must not import node:fs', () => {
  const reachable = [...staticImports(path.join(srcDir, 'model', 'index.ts'))];
  expect(reachable.filter((module) => module === 'node:fs' || module === 'fs' || module.startsWith('node:fs/'))).toEqual([]);
});
