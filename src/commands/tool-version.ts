/** tscompose's version, as labels (`com.docker.compose.version`) and `version` report it. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const toolVersion: string = (require('../../package.json') as { version: string }).version;
