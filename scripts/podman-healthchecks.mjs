#!/usr/bin/env node
/**
 * Runs the healthchecks of the containers of a Podman service where no systemd does.
 *
 * Podman does not run healthchecks itself: for each container with a healthcheck it asks systemd
 * for a timer that runs `podman healthcheck run`. On a machine without systemd (a CI container,
 * this project's build machines) the checks never run, every container stays `starting` and a
 * `service_healthy` dependency waits forever. This daemon stands in for the timers: it lists the
 * running containers every half second and, for each one with a healthcheck, asks the service to
 * run it (libpod's `GET /containers/{id}/healthcheck`) every `interval` (default 30 s) from the
 * container's start, one run at a time per container. Podman itself applies retries and the start
 * period to the results.
 *
 *   node scripts/podman-healthchecks.mjs /run/tscompose-podman/podman.sock
 *
 * Started in the background by scripts/ensure-podman.sh; stop it by its pid.
 */
import http from 'node:http';

const socketPath = process.argv[2];
if (!socketPath) {
  console.error('usage: podman-healthchecks.mjs <podman socket>');
  process.exit(2);
}

const POLL_MS = 500;
const DEFAULT_INTERVAL_MS = 30_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** One request to the service; resolves with the status and the parsed JSON body (or undefined). */
function request(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        let json;
        try {
          json = body === '' ? undefined : JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

/** Container id -> its schedule, or null when it has no healthcheck. Dropped when it stops running. */
const schedules = new Map();

async function scheduleFor(id) {
  const { status, json } = await request(`/containers/${id}/json`);
  if (status !== 200 || !json) return undefined;
  const test = json.Config?.Healthcheck?.Test;
  if (!Array.isArray(test) || test.length === 0 || test[0] === 'NONE') return null;
  const intervalNs = json.Config.Healthcheck.Interval;
  const intervalMs = typeof intervalNs === 'number' && intervalNs > 0 ? intervalNs / 1e6 : DEFAULT_INTERVAL_MS;
  const started = Date.parse(json.State?.StartedAt ?? '');
  return { intervalMs, next: (Number.isFinite(started) ? started : Date.now()) + intervalMs, running: false };
}

async function runCheck(id, schedule) {
  schedule.running = true;
  try {
    const { status, json } = await request(`/v4.0.0/libpod/containers/${id}/healthcheck`);
    if (status !== 200) console.error(`${new Date().toISOString()} ${id.slice(0, 12)}: ${status} ${json?.message ?? ''}`);
  } catch (error) {
    console.error(`${new Date().toISOString()} ${id.slice(0, 12)}: ${error.message}`);
  } finally {
    schedule.running = false;
    schedule.next = Date.now() + schedule.intervalMs;
  }
}

async function tick() {
  const { status, json } = await request('/containers/json');
  if (status !== 200 || !Array.isArray(json)) return;
  const running = new Set(json.map((container) => container.Id));
  for (const id of schedules.keys()) if (!running.has(id)) schedules.delete(id);
  for (const id of running) {
    if (!schedules.has(id)) {
      const schedule = await scheduleFor(id);
      if (schedule !== undefined) schedules.set(id, schedule);
    }
    const schedule = schedules.get(id);
    if (schedule && !schedule.running && Date.now() >= schedule.next) void runCheck(id, schedule);
  }
}

for (;;) {
  try {
    await tick();
  } catch (error) {
    // The service may be restarting; try again at the next tick.
    console.error(`${new Date().toISOString()} ${error.message}`);
  }
  await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
