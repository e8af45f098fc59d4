// Unit global setup: the CLI-level tests of `config` (test/unit/config/config-cli.test.ts) run the
// bundled CLI as a user would. So that `npm run test:unit` needs no `npm run build` first, and
// never rebuilds the dist/ that e2e runs may be using, the unit tests get a private bundle in
// node_modules/.cache, rebuilt only when a source file is newer than it.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside node_modules, so that the bundle's external imports (dockerode) resolve from the repository.
// (test/support/run-cli.ts names the same place: unitCliPath.)
const unitCliDir = join(root, 'node_modules', '.cache', 'tscompose-unit-cli');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function builtAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

export default async function unitCliGlobalSetup() {
  const cli = join(unitCliDir, 'cli.js');
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'scripts', 'bundle.mjs')).mtimeMs);
  if (builtAt(cli) < sources) execFileSync(process.execPath, ['scripts/bundle.mjs', '--outdir', unitCliDir], { cwd: root, stdio: 'inherit' });
}
