/**
 * Every command of the CLI, in the order `--help` lists them (alphabetical, as Compose's). Adding
 * a command is one line here (plus its import); its arguments and flags live in its own
 * `<verb>-command.ts`.
 */
import { attachDefinition } from './attach-command.js';
import { buildDefinition } from './build-command.js';
import type { CommandDefinition } from './command-definition.js';
import { completionDefinition } from './completion-command.js';
import { configDefinition } from './config-command.js';
import { cpDefinition } from './cp-command.js';
import { createDefinition } from './create-command.js';
import { downDefinition } from './down-command.js';
import { eventsDefinition } from './events-command.js';
import { execDefinition } from './exec-command.js';
import { imagesDefinition } from './images-command.js';
import { killDefinition } from './kill-command.js';
import { logsDefinition } from './logs-command.js';
import { lsDefinition } from './ls-command.js';
import { pauseDefinition, unpauseDefinition } from './pause-command.js';
import { portDefinition } from './port-command.js';
import { psDefinition } from './ps-command.js';
import { pullDefinition } from './pull-command.js';
import { pushDefinition } from './push-command.js';
import { restartDefinition } from './restart-command.js';
import { rmDefinition } from './rm-command.js';
import { runDefinition } from './run-command.js';
import { scaleDefinition } from './scale-command.js';
import { stackDefinition } from './stack-command.js';
import { startDefinition } from './start-command.js';
import { statsDefinition } from './stats-command.js';
import { stopDefinition } from './stop-command.js';
import { topDefinition } from './top-command.js';
import { upDefinition } from './up-command.js';
import { versionDefinition } from './version-command.js';
import { waitDefinition } from './wait-command.js';
import { watchDefinition } from './watch-command.js';

export const COMMANDS: readonly CommandDefinition[] = [
  attachDefinition,
  buildDefinition,
  completionDefinition,
  configDefinition,
  cpDefinition,
  createDefinition,
  downDefinition,
  eventsDefinition,
  execDefinition,
  imagesDefinition,
  killDefinition,
  logsDefinition,
  lsDefinition,
  pauseDefinition,
  portDefinition,
  psDefinition,
  pullDefinition,
  pushDefinition,
  restartDefinition,
  rmDefinition,
  runDefinition,
  scaleDefinition,
  stackDefinition,
  startDefinition,
  statsDefinition,
  stopDefinition,
  topDefinition,
  unpauseDefinition,
  upDefinition,
  versionDefinition,
  waitDefinition,
  watchDefinition,
];
