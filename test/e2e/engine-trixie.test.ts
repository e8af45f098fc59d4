/**
 * Debian trixie's Docker Engine (26.x) is a tested engine: the lifecycle of
 * engine-lifecycle-suite.ts against it, run beside the default engine by
 * scripts/ensure-trixie-engine.sh (no iptables of its own, so the suite needs no traffic between
 * containers).
 */
import { jest } from '@jest/globals';
import { describeLifecycle } from './engine-lifecycle-suite.js';
import { TRIXIE_ENGINE } from './other-engine-support.js';

jest.setTimeout(120_000);

describeLifecycle(TRIXIE_ENGINE, 'compat-engine26', { defaultStopTimeout: null });
