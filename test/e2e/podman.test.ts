/**
 * Podman is a tested engine: the lifecycle of engine-lifecycle-suite.ts against Podman's
 * Docker-compatible API (Debian's podman, started by scripts/ensure-podman.sh on its own socket;
 * its healthchecks are run by the script's runner because no systemd does). The Podman differences
 * tscompose evens out in src/apply/docker-engine.ts are held here:
 * - `State.Health` is `{"Status": ""}` without a healthcheck (up --wait must not wait on it);
 * - a container created without StopTimeout gets 0 (stop must still give it Docker's 10 s);
 * - listed images carry the name Podman resolved (`docker.io/library/x:latest`; down --rmi local).
 */
import { jest } from '@jest/globals';
import { describeLifecycle } from './engine-lifecycle-suite.js';
import { PODMAN } from './other-engine-support.js';

jest.setTimeout(120_000);

describeLifecycle(PODMAN, 'compat-podman', { defaultStopTimeout: 10 });
