/**
 * Every command of the CLI, in the order `--help` lists them. Adding a command is one line here
 * (plus its import); its arguments and flags live in its own `<verb>-command.ts`.
 */
import { buildDefinition } from './build-command.js';
import type { CommandDefinition } from './command-definition.js';
import { completionDefinition } from './completion-command.js';
import { configDefinition } from './config-command.js';
import { downDefinition } from './down-command.js';
import { logsDefinition } from './logs-command.js';
import { psDefinition } from './ps-command.js';
import { pullDefinition } from './pull-command.js';
import { pushDefinition } from './push-command.js';
import { restartDefinition } from './restart-command.js';
import { startDefinition } from './start-command.js';
import { stopDefinition } from './stop-command.js';
import { upDefinition } from './up-command.js';
import { versionDefinition } from './version-command.js';
import { watchDefinition } from './watch-command.js';

export const COMMANDS: readonly CommandDefinition[] = [
  versionDefinition,
  configDefinition,
  buildDefinition,
  pullDefinition,
  pushDefinition,
  psDefinition,
  logsDefinition,
  upDefinition,
  watchDefinition,
  downDefinition,
  startDefinition,
  stopDefinition,
  restartDefinition,
  completionDefinition,
];
