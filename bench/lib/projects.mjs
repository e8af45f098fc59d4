/**
 * The compose files the benchmarks run. Every project the bench creates is named `bench-…`, and
 * only those names are ever cleaned up.
 */
export const IMAGE = 'tscompose-test/busybox:latest';

/** Service i depends on service (i - 1) / 2: a binary tree, log2(count) levels deep. */
export function parentOf(index) {
  return index === 0 ? undefined : Math.floor((index - 1) / 2);
}

/**
 * `count` long-running services in a dependency tree, each with environment, labels and a shared
 * named volume; `init: true` so that a stop takes milliseconds (busybox as PID 1 ignores SIGTERM).
 */
export function serviceTree(count) {
  const lines = ['services:'];
  for (let i = 0; i < count; i++) {
    const parent = parentOf(i);
    lines.push(
      `  s${i}:`,
      `    image: ${IMAGE}`,
      '    command: ["sleep", "86400"]',
      '    init: true',
      `    environment: {ROLE: s${i}, LEVEL: "${Math.floor(Math.log2(i + 1))}"}`,
      `    labels: {bench.role: s${i}}`,
      '    volumes: ["data:/data"]',
    );
    if (parent !== undefined) lines.push(`    depends_on: [s${parent}]`);
  }
  lines.push('volumes:', '  data: {}');
  return `${lines.join('\n')}\n`;
}

/** The create request the engine-limit contestant sends for service i of serviceTree(count). */
export function treeContainer(project, index) {
  const network = `${project}_default`;
  return {
    name: `${project}-s${index}-1`,
    body: {
      Image: IMAGE,
      Cmd: ['sleep', '86400'],
      Env: [`ROLE=s${index}`, `LEVEL=${Math.floor(Math.log2(index + 1))}`],
      Labels: {
        'bench.role': `s${index}`,
        'com.docker.compose.project': project,
        'com.docker.compose.service': `s${index}`,
        'com.docker.compose.container-number': '1',
        'com.docker.compose.oneoff': 'False',
      },
      HostConfig: {
        Init: true,
        NetworkMode: network,
        Mounts: [{ Type: 'volume', Source: `${project}_data`, Target: '/data' }],
      },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [`s${index}`, `${project}-s${index}-1`] } } },
    },
  };
}

/** A realistic service definition, many times over: what `config` parses, validates and prints. */
export function configFile(count) {
  const lines = ['services:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.example/app-${i % 7}:\${TAG:-1.0}`,
      `    command: ["sh", "-c", "serve --port 80 --name svc${i}"]`,
      `    ports: ["${10000 + i}:80", "127.0.0.1::9${String(i % 1000).padStart(3, '0')}/udp"]`,
      '    environment:',
      '      MODE: production',
      `      INSTANCE: "${i}"`,
      '      HOME_DIR: ${HOME:-/root}',
      `    labels: [team=t${i % 10}, "tier=web"]`,
      `    volumes: ["./data/${i}:/data", "cache${i % 5}:/cache:ro", "/tmp/anon"]`,
      '    networks: [front, back]',
      '    healthcheck: {test: "wget -q -O- http://localhost/ || exit 1", interval: 30s, timeout: 5s, retries: 3}',
      '    mem_limit: 256m',
      '    restart: unless-stopped',
      i > 0 ? `    depends_on: {svc${i - 1}: {condition: service_started}}` : '    init: true',
    );
  }
  lines.push('networks:', '  front: {}', '  back: {internal: true}', 'volumes:');
  for (let i = 0; i < 5; i++) lines.push(`  cache${i}: {}`);
  return `${lines.join('\n')}\n`;
}

/** `count` services that each print `lines` lines as fast as they can, then END, then idle. */
export function logFlood(count, lines) {
  const out = ['services:'];
  for (let i = 0; i < count; i++) {
    const text = `s${i} the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz`;
    out.push(
      `  s${i}:`,
      `    image: ${IMAGE}`,
      '    init: true',
      `    command: ["sh", "-c", "yes '${text}' | head -n ${lines}; echo END; exec sleep 86400"]`,
    );
  }
  return `${out.join('\n')}\n`;
}
