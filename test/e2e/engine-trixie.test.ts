/**
 * Debian trixie's Docker Engine (26.x) is a tested engine: the lifecycle of
 * engine-lifecycle-suite.ts against it, run beside the default engine, in a network namespace of
 * its own, by scripts/ensure-trixie-engine.sh (its published ports answer at 10.215.0.2).
 */
import { jest } from '@jest/globals';
import { describeLifecycle } from './engine-lifecycle-suite.js';
import { TRIXIE_ENGINE } from './other-engine-support.js';

jest.setTimeout(120_000);

describeLifecycle(TRIXIE_ENGINE, 'compat-engine26', { defaultStopTimeout: null });
