#!/usr/bin/env node
/**
 * Builds dist/ from src/ with esbuild: one entry file plus a chunk per lazily imported command.
 * A one-file bundle is about twice as fast to start as tsc's one-module-per-source output, which
 * matters for a CLI run many times a day (`tscompose config` on a small project is mostly Node
 * resolving and compiling modules). Type checking is `npm run typecheck` (tsc), not this step.
 *
 * dockerode stays external: it pulls in ssh2/grpc with optional native addons that must be
 * loaded from node_modules as installed.
 *
 * dist/endpoint.js is a second entry with a fixed name: scripts/engine-endpoint.mjs imports it to
 * find the engine exactly as the CLI does (DOCKER_HOST, Docker contexts, TLS) instead of keeping
 * a second copy of that logic. The CLI shares the same chunk.
 */
import { rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds a copy elsewhere (the unit tests' private CLI); dist/ by default.
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? resolve(process.argv[outdirFlag + 1]) : join(root, 'dist');

/**
 * Node's built-in modules through require(), not import. An ESM import of a built-in makes Node
 * build an ES module facade of it, which reads every export, and reading some of them loads more
 * (fs's ReadStream getter loads all of streams): about a tenth of a short command's start-up.
 * require() hands over the module as it is. The banner below gives every chunk a require.
 */
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      builtins.has(args.path) && (args.kind === 'import-statement' || args.kind === 'dynamic-import')
        ? { path: args.path, namespace: 'builtin' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * commander requires child_process when it loads, for executable subcommands, which tscompose
 * does not have; child_process brings net, dgram and streams with it. It gets a stand-in that
 * requires the real module on first use instead.
 */
const deferredChildProcess = {
  name: 'deferred-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'deferred' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'deferred' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, 'src', 'cli.ts'), endpoint: join(root, 'src', 'apply', 'endpoint.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['dockerode'],
  sourcemap: 'linked',
  // Bundled CommonJS packages (yaml, commander, ajv's runtime) call require(); give ESM one.
  banner: { js: "import { createRequire as __tscomposeRequire } from 'node:module'; const require = __tscomposeRequire(import.meta.url);" },
  plugins: [builtinsThroughRequire, deferredChildProcess],
  logLevel: 'warning',
});
