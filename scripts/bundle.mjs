#!/usr/bin/env node
/**
 * Builds dist/ from src/ with esbuild. A bundle is about twice as fast to start as tsc's
 * one-module-per-source output, which matters for a CLI run many times a day (`tscompose config`
 * on a small project is mostly Node reading and compiling code). Type checking is `npm run
 * typecheck` (tsc), not this step.
 *
 * - dist/cli-bundle.cjs: the whole CLI in one CommonJS file, and dist/cli.cjs, the executable,
 *   which compiles it through V8's code cache (src/launcher/; docs/development.md says what is
 *   cached where). dist/cli.js runs the same executable for whoever calls that path.
 * - dist/index.js, the library, and dist/endpoint.js: ES modules, with a chunk per lazily
 *   imported part.
 *
 * What is bundled and what is installed (the README's "Packaging" says why): everything is
 * bundled except the `yaml` package, which src/load/parse-yaml.ts loads only for files the fast
 * YAML path does not take; it is the one runtime dependency. BuildKit sessions are tscompose's own
 * (src/apply/buildkit/, over node:http2), so dockerode's gRPC session and its packages are left out.
 *
 * dist/endpoint.js is an entry with a fixed name: scripts/engine-endpoint.mjs imports it to find
 * the engine exactly as the CLI does (DOCKER_HOST, Docker contexts, TLS) instead of keeping a
 * second copy of that logic.
 *
 * dist/index.js is the library (`import { loadProject } from 'tscompose'`, src/api/index.ts); its
 * type declarations are emitted by tsc (tsconfig.types.json) into dist/types/.
 */
import { createHash } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds a copy elsewhere (the unit tests' private CLI); dist/ by default.
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? resolve(process.argv[outdirFlag + 1]) : join(root, 'dist');
// `--sourcemap` adds source maps (for profiling or debugging a build); the package ships none.
const sourcemap = process.argv.includes('--sourcemap') ? 'linked' : false;

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
 * Modules that bundled packages require as they load but use rarely or never, each replaced by a
 * stand-in that loads the real module on first use (or says why it is never used). Together they
 * were most of the engine client's load time, paid by every command that talks to the engine.
 */
const STAND_INS = [
  // commander: for executable subcommands, which tscompose does not have (child_process brings net and streams).
  { importer: /[\\/]commander[\\/]/, request: /^(node:)?child_process$/, shape: 'object', builtin: 'node:child_process' },
  // dockerode: its BuildKit session client (gRPC) and progress decoder (protobufjs), for
  // buildImage with version 2 and followProgress; tscompose's BuildKit builds have their own.
  { importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, request: /^\.\/(session|buildkit)$/, shape: 'unused' },
  // dockerode: zlib, for the gzip of build contexts dockerode packs itself (as tar-fs below).
  { importer: /[\\/]dockerode[\\/]lib[\\/]util\.js$/, request: /^zlib$/, shape: 'object', builtin: 'node:zlib' },
  // dockerode: the .dockerignore reader, for build contexts dockerode packs itself (as tar-fs below).
  { importer: /[\\/]dockerode[\\/]lib[\\/]util\.js$/, request: /^@balena\/dockerignore$/, shape: 'function' },
  // dockerode: tar-fs, for build contexts dockerode packs itself; tscompose packs its own (build-context.ts).
  { importer: /[\\/]dockerode[\\/]lib[\\/]util\.js$/, request: /^tar-fs$/, shape: 'object' },
  // docker-modem: its ssh transport (ssh2); an ssh:// endpoint is dialled by ssh-dial.ts, never by docker-modem.
  { importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, request: /^\.\/ssh$/, shape: 'unused' },
  // docker-modem: debug, which logs nothing unless DEBUG is set (and then it is loaded as usual).
  { importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, request: /^debug$/, shape: 'debug' },
  // docker-modem: util, whose inspect it runs on every request's options for that debug log, even
  // when nothing is logged (a few milliseconds of every command); without DEBUG, inspect is skipped.
  { importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, request: /^util$/, shape: 'util', builtin: 'node:util' },
  // docker-modem: the duplex stream of hijacked connections (readable-stream), for exec and attach with stdin.
  { importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, request: /^\.\/http_duplex$/, shape: 'function' },
  // docker-modem: https (tls, crypto), for a TLS endpoint only.
  { importer: /[\\/]docker-modem[\\/]lib[\\/]http\.js$/, request: /^https$/, shape: 'object', builtin: 'node:https' },
];

function standInSource(standIn, real) {
  const load = `(real ??= require(${JSON.stringify(real)}))`;
  switch (standIn.shape) {
    case 'function':
      // Called, or constructed with `new`.
      return `let real; module.exports = function (...args) { return new.target ? Reflect.construct(${load}, args) : ${load}.apply(this, args); };`;
    case 'object':
      return `let real; module.exports = new Proxy({}, { get: (_, key) => ${load}[key] });`;
    case 'debug':
      return `let real; module.exports = process.env.DEBUG ? ${load} : () => Object.assign(() => {}, { enabled: false });`;
    case 'util':
      return `const util = require('node:util'); module.exports = process.env.DEBUG ? util : { ...util, inspect: () => '' };`;
    case 'unused':
      return "module.exports = () => { throw new Error('tscompose does not use this module of a bundled package'); };";
  }
  throw new Error(`unknown stand-in shape ${standIn.shape}`);
}

const standIns = {
  name: 'stand-ins',
  setup(build) {
    const requests = new RegExp(STAND_INS.map((standIn) => standIn.request.source).join('|'));
    build.onResolve({ filter: requests }, async (args) => {
      // The stand-in's own require of the real module, and the resolution of that module below.
      if (args.namespace === 'stand-in' || args.pluginData?.real) return undefined;
      const standIn = STAND_INS.find((candidate) => candidate.request.test(args.path) && candidate.importer.test(args.importer));
      if (!standIn) return undefined;
      let real = standIn.builtin;
      if (!real && standIn.shape !== 'unused') {
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { real: true } });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        real = resolved.path;
      }
      return { path: `${relative(root, args.importer)}:${args.path}`, namespace: 'stand-in', pluginData: { standIn, real } };
    });
    build.onLoad({ filter: /./, namespace: 'stand-in' }, (args) => ({
      contents: standInSource(args.pluginData.standIn, args.pluginData.real),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
// The library and the engine resolver: ES modules, each lazily imported part in a chunk of its own.
await build({
  entryPoints: { endpoint: join(root, 'src', 'apply', 'endpoint.ts'), index: join(root, 'src', 'api', 'index.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded from node_modules by parse-yaml.ts (createRequire).
  external: ['yaml'],
  sourcemap,
  // Bundled CommonJS packages call require().
  banner: {
    js: "import { createRequire as __tscomposeRequire } from 'node:module'; const require = __tscomposeRequire(import.meta.url);",
  },
  plugins: [builtinsThroughRequire, standIns],
  logLevel: 'warning',
});

/**
 * The CLI: one CommonJS file, dist/cli-bundle.cjs, that the executable (dist/cli.cjs, below)
 * compiles through V8's code cache (src/launcher/). Node 20 caches compiled code only for a
 * script, not for ES modules, and with the cache one file of every command starts faster than
 * the chunks a command needs. `import.meta.url` becomes the bundle's own URL.
 */
const commonJs = { outdir, outExtension: { '.js': '.cjs' }, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' };
const cliBundle = await build({
  ...commonJs,
  entryPoints: { 'cli-bundle': join(root, 'src', 'cli.ts') },
  external: ['yaml'],
  sourcemap,
  define: { 'import.meta.url': '__tscomposeModuleUrl' },
  banner: { js: "var __tscomposeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [standIns],
  write: false,
});
let bundleText;
for (const file of cliBundle.outputFiles) {
  if (file.path.endsWith('.cjs')) bundleText = launchable(file.text);
  writeFileSync(file.path, file.path.endsWith('.cjs') ? bundleText : file.contents);
}

/**
 * The bundle as the launcher compiles it: no `#!` line (the launcher wraps the source in a
 * function), ASCII only (esbuild leaves some characters of regular expressions as they are; read
 * as latin1, an ASCII file is the one-byte string V8 compiles fastest), no dynamic `import()`
 * (a vm.Script has no module loader).
 */
function launchable(text) {
  const ascii = text.replace(/^#!.*/, '').replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (/[^\w$.]import\(/.test(ascii)) throw new Error('dist/cli-bundle.cjs contains a dynamic import(), which the launcher cannot run');
  return ascii;
}

// The executable: dist/cli.cjs (package.json's bin) and dist/cli.js, the same for whoever runs that path.
await build({
  ...commonJs,
  entryPoints: { cli: join(root, 'src', 'cli-launcher.ts') },
  define: { TSCOMPOSE_BUNDLE_HASH: JSON.stringify(createHash('sha256').update(bundleText).digest('hex')) },
});
writeFileSync(join(outdir, 'cli.js'), "#!/usr/bin/env node\n// The executable is dist/cli.cjs; this path runs it too.\nimport './cli.cjs';\n");
chmodSync(join(outdir, 'cli.js'), 0o755);
chmodSync(join(outdir, 'cli.cjs'), 0o755);
