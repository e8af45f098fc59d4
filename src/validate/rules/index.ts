/** Every cross-field rule, in the order their findings are most useful when several apply. */
import type { Rule } from '../rule.js';
import { additionalContextServices } from './additional-context-services.js';
import { buildPlatforms } from './build-platforms.js';
import { containerNames } from './container-names.js';
import { dependencyCycles } from './dependency-cycles.js';
import { developWatch } from './develop-watch.js';
import { duplicateMountTargets } from './duplicate-mount-targets.js';
import { exposeSyntax } from './expose-syntax.js';
import { externalResources } from './external-resources.js';
import { healthcheckTest } from './healthcheck-test.js';
import { hostPortConflicts } from './host-port-conflicts.js';
import { imageOrBuild } from './image-or-build.js';
import { negativeCpus } from './negative-cpus.js';
import { networkModeAndNetworks } from './network-mode-and-networks.js';
import { portSyntax } from './port-syntax.js';
import { replicaLimit } from './replica-limit.js';
import { replicaSettings } from './replica-settings.js';
import { undefinedResources } from './undefined-resources.js';
import { undefinedServices } from './undefined-services.js';
import { unsupportedAttributes } from './unsupported-attributes.js';
import { volumeSyntax } from './volume-syntax.js';

export const RULES: readonly Rule[] = [
  // references between parts of the project
  undefinedServices,
  dependencyCycles,
  undefinedResources,
  imageOrBuild,
  additionalContextServices,
  networkModeAndNetworks,
  externalResources,
  // values Compose passes to the engine unchecked
  portSyntax,
  exposeSyntax,
  hostPortConflicts,
  volumeSyntax,
  duplicateMountTargets,
  containerNames,
  replicaSettings,
  replicaLimit,
  negativeCpus,
  healthcheckTest,
  buildPlatforms,
  developWatch,
  unsupportedAttributes,
];
