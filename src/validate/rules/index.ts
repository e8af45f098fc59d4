/** Every cross-field rule, in the order their findings are most useful when several apply. */
import type { Rule } from '../rule.js';
import { additionalContextServices } from './additional-context-services.js';
import { buildPlatforms } from './build-platforms.js';
import { containerNames } from './container-names.js';
import { dependencyCycles } from './dependency-cycles.js';
import { developWatch } from './develop-watch.js';
import { duplicateMountTargets } from './duplicate-mount-targets.js';
import { engineMountTypes } from './engine-mount-types.js';
import { exposeSyntax } from './expose-syntax.js';
import { externalResources } from './external-resources.js';
import { fileOwnerIds } from './file-owner-ids.js';
import { healthcheckTest } from './healthcheck-test.js';
import { hostPortConflicts } from './host-port-conflicts.js';
import { imageOrBuild } from './image-or-build.js';
import { macAddress } from './mac-address.js';
import { negativeCpus } from './negative-cpus.js';
import { networkModeAndNetworks } from './network-mode-and-networks.js';
import { portSyntax } from './port-syntax.js';
import { replicaLimit } from './replica-limit.js';
import { replicaSettings } from './replica-settings.js';
import { swarmOnlyFiles } from './swarm-only-files.js';
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
  // what an engine without Swarm cannot run (validateForEngine; a swarm can)
  engineMountTypes,
  swarmOnlyFiles,
  fileOwnerIds,
  macAddress,
];
