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
 *
 * dist/index.js is the library (`import { loadProject } from 'tscompose'`, src/api/index.ts); its
 * type declarations are emitted by tsc (tsconfig.types.json) into dist/types/.
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds a copy elsewhere (the unit tests' private CLI); dist/ by default.
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? resolve(process.argv[outdirFlag + 1]) : join(root, 'dist');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, 'src', 'cli.ts'), endpoint: join(root, 'src', 'apply', 'endpoint.ts'), index: join(root, 'src', 'api', 'index.ts') },
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
  logLevel: 'warning',
});
