#!/usr/bin/env node
/**
 * `npm run docs:cli`: writes the generated part of docs/cli.md from the commands' own definitions
 * (src/commands/*-command.ts, through the CLI's buildProgram), keeping the hand-written part of
 * the page. The sources are bundled with esbuild into a private copy first, as the unit tests'
 * CLI is, so no build of dist/ is needed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'node_modules', '.cache', 'tscompose-cli-docs');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'reference.mjs');
await build({
  stdin: {
    contents: "export { buildProgram } from './src/cli.ts'; export { renderCliReference, withGeneratedReference } from './src/commands/cli-reference.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['dockerode'],
  banner: { js: "import { createRequire as __tscomposeRequire } from 'node:module'; const require = __tscomposeRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { buildProgram, renderCliReference, withGeneratedReference } = await import(pathToFileURL(outfile).href);
const page = join(root, 'docs', 'cli.md');
let current = '';
try {
  current = readFileSync(page, 'utf8');
} catch {
  current = '# Command-line reference\n';
}
writeFileSync(page, withGeneratedReference(current, renderCliReference(buildProgram())));
console.log(`wrote ${page}`);
