/**
 * tscompose's version, written to `com.docker.compose.version` on what it creates. Read from the
 * nearest package.json above this module, which is the project's own whether this runs from src/
 * (tests) or from a chunk of the bundled dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function toolVersion(): string {
  if (cached !== undefined) return cached;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) return (cached = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version);
    const parent = dirname(directory);
    if (parent === directory) return (cached = '0.0.0');
    directory = parent;
  }
}
