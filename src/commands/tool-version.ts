/** tscompose's version, written to `com.docker.compose.version` on what it creates. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function toolVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}
