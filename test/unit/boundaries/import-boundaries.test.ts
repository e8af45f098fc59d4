/**
 * The architecture's rules, checked on every import of src/ (static, type-only, re-exports,
 * dynamic import() and require()) so that they hold by test rather than by discipline:
 *
 * - plan/ and model/ are pure: no later stage, no file system, no engine client, watcher,
 *   progress view or colour library;
 * - the stages up to apply/ never reach the layers built on them (api/, watch/, commands/, the CLI);
 * - api/ (the typed API) does not depend on its clients, watch mode or the CLI;
 * - watch/ does not import the CLI's commands;
 * - dockerode and docker-modem have one importer (the engine adapter), chokidar one (the watcher),
 *   listr2 one (the terminal progress view);
 * - no module imports itself through others (a cycle: `up` and `watch` once imported each other).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const srcRoot = fileURLToPath(new URL('../../../src', import.meta.url));

interface ImportEdge {
  /** The importing file, relative to src/ with '/' separators: `plan/reconcile.ts`. */
  readonly from: string;
  /** As written: `../apply/engine.js`, `dockerode`, `node:fs/promises`. */
  readonly specifier: string;
}

/** The stages and layers in data-flow order; a top-level file (errors.ts, context.ts) is in none. */
const ORDER = ['load', 'validate', 'model', 'plan', 'apply', 'api', 'watch', 'commands', 'cli'] as const;
type Layer = (typeof ORDER)[number];

/** Where an import lands: a layer of src/ for relative imports, undefined for packages and shared top-level files. */
function targetLayer(edge: ImportEdge): Layer | undefined {
  if (!edge.specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(edge.from), edge.specifier));
  return layerOf(target);
}

function layerOf(path: string): Layer | undefined {
  const first = path.split('/')[0];
  const name = path.includes('/') ? first : first.replace(/\.(ts|js)$/, '');
  return (ORDER as readonly string[]).includes(name) ? (name as Layer) : undefined;
}

/** `dockerode/lib/docker` is dockerode; `node:fs/promises` is fs. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.')) return undefined;
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages that one module alone may import, and why. */
const SINGLE_IMPORTER: Readonly<Record<string, { readonly module: string; readonly role: string }>> = {
  dockerode: { module: 'apply/docker-engine.ts', role: 'the engine adapter' },
  'docker-modem': { module: 'apply/docker-engine.ts', role: 'the engine adapter' },
  chokidar: { module: 'watch/watcher.ts', role: 'the file watcher' },
  listr2: { module: 'commands/output/tty-progress.ts', role: 'the terminal progress view' },
};

const IMPURE_PACKAGES = new Set(['fs', 'dockerode', 'docker-modem', 'chokidar', 'listr2', 'chalk']);

/** One sentence per broken rule. */
function violations(edges: readonly ImportEdge[]): string[] {
  const found: string[] = [];
  for (const edge of edges) {
    const from = layerOf(edge.from);
    const to = targetLayer(edge);
    const pkg = packageOf(edge.specifier);
    const where = `src/${edge.from} imports ${edge.specifier}`;
    if (from === 'plan' || from === 'model') {
      if (to !== undefined && ORDER.indexOf(to) > ORDER.indexOf(from)) found.push(`${where}: ${from}/ must not import a later stage (${to})`);
      if (pkg !== undefined && IMPURE_PACKAGES.has(pkg)) found.push(`${where}: ${from}/ is pure (no file system, engine client, watcher, progress view or colours)`);
    }
    if (from !== undefined && to !== undefined && ORDER.indexOf(from) <= ORDER.indexOf('apply') && ORDER.indexOf(to) > ORDER.indexOf('apply')) {
      found.push(`${where}: the pipeline stages must not depend on the layers built on them (${to})`);
    }
    if (from === 'api' && (to === 'watch' || to === 'commands' || to === 'cli')) found.push(`${where}: api/ must not depend on its clients (${to})`);
    if (from === 'watch' && (to === 'commands' || to === 'cli')) found.push(`${where}: watch/ must not import the CLI's commands`);
    const single = pkg === undefined ? undefined : SINGLE_IMPORTER[pkg];
    if (single && edge.from !== single.module) found.push(`${where}: only ${single.role} (src/${single.module}) may import ${pkg}`);
  }
  return found;
}

/** The modules each relative import lands on, by importing module (paths relative to src/). */
function moduleGraph(edges: readonly ImportEdge[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const edge of edges) {
    const targets = graph.get(edge.from) ?? [];
    graph.set(edge.from, targets);
    if (edge.specifier.startsWith('.')) targets.push(posix.normalize(posix.join(posix.dirname(edge.from), edge.specifier)).replace(/\.js$/, '.ts'));
  }
  return graph;
}

/** Each import cycle once, as `a.ts -> b.ts -> a.ts`. */
function cycles(edges: readonly ImportEdge[]): string[] {
  const graph = moduleGraph(edges);
  const found = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (module: string): void => {
    if (state.get(module) === 'done') return;
    if (state.get(module) === 'visiting') {
      const loop = path.slice(path.indexOf(module));
      // The same cycle found from another of its modules starts elsewhere: start it at its smallest name.
      const start = loop.indexOf([...loop].sort()[0]);
      const rotated = [...loop.slice(start), ...loop.slice(0, start)];
      found.add([...rotated, rotated[0]].join(' -> '));
      return;
    }
    state.set(module, 'visiting');
    path.push(module);
    for (const target of graph.get(module) ?? []) visit(target);
    path.pop();
    state.set(module, 'done');
  };
  for (const module of graph.keys()) visit(module);
  return [...found];
}

/** Every import of one file's text, as TypeScript's pre-processor finds them (dynamic imports and require() included). */
function importsOf(from: string, text: string): ImportEdge[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => ({ from, specifier: file.fileName }));
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function srcImports(): ImportEdge[] {
  return sourceFiles(srcRoot).flatMap((file) => importsOf(relative(srcRoot, file).split(sep).join('/'), readFileSync(file, 'utf8')));
}

describe('import boundaries of src/', () => {
  test('every import of src/ must keep the architecture\'s rules', () => {
    expect(violations(srcImports())).toEqual([]);
  });

  test('the modules of src/ must form no import cycle', () => {
    expect(cycles(srcImports())).toEqual([]);
  });

  test('an import cycle must be reported with its path', () => {
    const edges = [
      ...importsOf('commands/up.ts', "const { prepareUpWatch } = await import('./watch.js');"),
      ...importsOf('commands/watch.ts', "import type { UpOptions } from './up.js'; import { truthy } from './apply-plan.js';"),
      ...importsOf('commands/apply-plan.ts', "import { runPlan } from '../api/run-plan.js';"),
    ];
    expect(cycles(edges)).toEqual(['commands/up.ts -> commands/watch.ts -> commands/up.ts']);
  });

  test('the import scan must see static, dynamic and type-only imports of src/', () => {
    const edges = srcImports();
    expect(edges).toContainEqual({ from: 'apply/docker-engine.ts', specifier: 'dockerode' });
    expect(edges).toContainEqual({ from: 'watch/watcher.ts', specifier: 'chokidar' });
    // cli.ts loads every command's implementation lazily.
    expect(edges.some((edge) => edge.from.startsWith('commands/') && edge.specifier.startsWith('../apply/'))).toBe(true);
  });

  test.each([
    ['plan/x.ts', "import { observe } from '../apply/observe.js';", 'plan/ must not import a later stage (apply)'],
    ['model/x.ts', "import type { Plan } from '../plan/plan.js';", 'model/ must not import a later stage (plan)'],
    ['model/x.ts', "import { readFile } from 'node:fs/promises';", 'model/ is pure'],
    ['plan/x.ts', "import { readFileSync } from 'fs';", 'plan/ is pure'],
    ['plan/sub/x.ts', "const chalk = await import('chalk');", 'plan/ is pure'],
    ['apply/x.ts', "import { upCommand } from '../commands/up.js';", 'the pipeline stages must not depend on the layers built on them (commands)'],
    ['load/x.ts', "export * from '../api/load-project.js';", 'the pipeline stages must not depend on the layers built on them (api)'],
    ['api/x.ts', "import { startWatching } from '../watch/session.js';", 'api/ must not depend on its clients (watch)'],
    ['api/x.ts', "import { main } from '../cli.js';", 'api/ must not depend on its clients (cli)'],
    ['watch/x.ts', "import { upCommand } from '../commands/up.js';", "watch/ must not import the CLI's commands"],
    ['commands/x.ts', "import Docker from 'dockerode';", 'only the engine adapter'],
    ['apply/observe.ts', "import type Docker from 'dockerode';", 'only the engine adapter'],
    ['api/x.ts', "const modem = require('docker-modem');", 'only the engine adapter'],
    ['apply/x.ts', "import x from 'dockerode/lib/docker.js';", 'only the engine adapter'],
    ['commands/x.ts', "const { watch } = await import('chokidar');", 'only the file watcher'],
    ['api/x.ts', "import { Listr } from 'listr2';", 'only the terminal progress view'],
  ])('%s with %s must be reported', (from, text, expected) => {
    const found = violations(importsOf(from, text));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  test.each([
    ['plan/x.ts', "import type { Project } from '../model/types.js';"],
    ['model/x.ts', "import { locate } from '../load/located.js'; import { createHash } from 'node:crypto';"],
    ['watch/x.ts', "import { loadProject } from '../api/load-project.js'; import { watch } from 'node:fs';"],
    ['commands/x.ts', "import { converge } from '../api/converge.js'; import { startWatching } from '../watch/session.js';"],
    ['apply/docker-engine.ts', "import Docker from 'dockerode';"],
    ['watch/watcher.ts', "import { watch } from 'chokidar';"],
    ['plan/x.ts', "import { CancelledError } from '../errors.js';"],
  ])('%s with %s must pass', (from, text) => {
    expect(violations(importsOf(from, text))).toEqual([]);
  });
});
