import type { ServiceSpec } from '../../../src/model/stack/swarm-types.js';
import type { ObservedNetwork, ObservedService, ObservedStack } from '../../../src/plan/stack/observed-stack.js';
import { formatStackPlan, planStack } from '../../../src/plan/stack/stack-plan.js';
import { base64, lines, stackFrom } from './support.js';

const NETWORK_ID = 'wr4a0rvdumrao5sjd1zcl3ani';

/** A file, and the spec Docker Engine 20.10 stored for it after `docker stack deploy --resolve-image never` (docker service inspect). */
const FILE = lines(
  'services:',
  '  web:',
  '    image: tscompose-test/busybox',
  '    command: ["sh", "-c", "httpd -f -p 8080"]',
  '    environment: [B=2, A=1]',
  '    labels: [x=y]',
  '    networks:',
  '      default:',
  '        aliases: [www]',
  '    deploy:',
  '      replicas: 2',
  '      labels: [z=w]',
  '      update_config: {parallelism: 2, order: start-first}',
  '      restart_policy: {condition: on-failure}',
  "      resources: {limits: {cpus: '0.5', memory: 64M}}",
  '    healthcheck:',
  '      test: ["CMD", "true"]',
  '      interval: 2s',
  '    stop_grace_period: 3s',
  '    extra_hosts: ["a:1.2.3.4"]',
  '    ulimits: {nofile: 1024}',
  '    volumes: [data:/data, /tmp:/host:ro]',
  'volumes:',
  '  data:',
);
const STORED: ServiceSpec = JSON.parse(
  '{"Name":"demo_web","Labels":{"com.docker.stack.image":"tscompose-test/busybox","com.docker.stack.namespace":"demo","z":"w"},"TaskTemplate":{"ContainerSpec":{"Image":"tscompose-test/busybox:latest","Labels":{"com.docker.stack.namespace":"demo","x":"y"},"Args":["sh","-c","httpd -f -p 8080"],"Env":["A=1","B=2"],"Privileges":{"CredentialSpec":null,"SELinuxContext":null,"NoNewPrivileges":false},"Mounts":[{"Type":"volume","Source":"demo_data","Target":"/data","VolumeOptions":{"Labels":{"com.docker.stack.namespace":"demo"}}},{"Type":"bind","Source":"/tmp","Target":"/host","ReadOnly":true}],"StopGracePeriod":3000000000,"Healthcheck":{"Test":["CMD","true"],"Interval":2000000000},"Hosts":["1.2.3.4 a"],"DNSConfig":{},"Isolation":"default","Ulimits":[{"Name":"nofile","Hard":1024,"Soft":1024}]},"Resources":{"Limits":{"NanoCPUs":500000000,"MemoryBytes":67108864}},"RestartPolicy":{"Condition":"on-failure","Delay":5000000000,"MaxAttempts":0},"Placement":{},"Networks":[{"Target":"wr4a0rvdumrao5sjd1zcl3ani","Aliases":["www","web"]}],"ForceUpdate":0,"Runtime":"container"},"Mode":{"Replicated":{"Replicas":2}},"UpdateConfig":{"Parallelism":2,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"start-first"},"RollbackConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},"EndpointSpec":{"Mode":"vip"}}',
);

const ownNetwork: ObservedNetwork = {
  id: NETWORK_ID,
  name: 'demo_default',
  driver: 'overlay',
  scope: 'swarm',
  attachable: false,
  internal: false,
  labels: { 'com.docker.stack.namespace': 'demo' },
};

function service(spec: ServiceSpec, extra: Partial<ObservedService> = {}): ObservedService {
  return { id: `id-${spec.Name}`, version: 7, spec, ...extra };
}

function observed(extra: Partial<ObservedStack> = {}): ObservedStack {
  return { services: [service(STORED)], networks: [ownNetwork], secrets: [], configs: [], ...extra };
}

const plan = (yaml: string, state: ObservedStack, prune = false, contents = {}) => planStack(stackFrom(yaml, contents), state, { prune });

describe('stack plan', () => {
  test('an unchanged file must update nothing, though the engine stored its spec with its defaults filled in', () => {
    const result = plan(FILE, observed());
    expect(result.steps).toEqual([]);
    expect(formatStackPlan(result, 'demo')).toBe('nothing to do');
  });

  test('a changed field must update the service and name the field, never an environment value', () => {
    const changed = FILE.replace('A=1', 'A=secret-value').replace('replicas: 2', 'replicas: 3').replace('image: tscompose-test/busybox', 'image: tscompose-test/busybox:2');
    const text = formatStackPlan(plan(changed.replace('labels: [x=y]', 'labels: [x=z, n=1]'), observed()), 'demo');
    expect(text).toBe(
      'update service web (demo_web): deploy.replicas 2 -> 3, environment A changed, image "tscompose-test/busybox:latest" -> "tscompose-test/busybox:2", label x changed, n added',
    );
    expect(text).not.toContain('secret-value');
  });

  test('a file that leaves replicas out must say that the update resets a scaled service to 1', () => {
    const scaled = service({ ...STORED, Mode: { Replicated: { Replicas: 5 } } });
    const result = plan(FILE.replace('      replicas: 2\n', ''), observed({ services: [scaled] }));
    expect(result.steps.map((step) => step.cause)).toEqual(['deploy.replicas 5 -> 1 (deploy.replicas is not set in the file)']);
  });

  test('a changed mode must remove and create the service again, since the engine cannot update it', () => {
    const result = plan(FILE.replace('      replicas: 2\n', '      mode: global\n'), observed());
    expect(result.steps.map((step) => [step.op.type, step.cause])).toEqual([
      ['recreate-service', 'deploy.mode "replicated" -> "global" (a swarm cannot change a service\'s mode: it is removed and created again)'],
    ]);
  });

  test('a service the file no longer has must be kept and named, and removed with --prune', () => {
    const old = service({ ...STORED, Name: 'demo_old' });
    const file = 'services:\n  other:\n    image: x\n';
    expect(formatStackPlan(plan(file, observed({ services: [old] })), 'demo')).toBe(
      'create service other (demo_other): not found\nkeep service old (demo_old): not in the file (--prune removes it)',
    );
    expect(formatStackPlan(plan(file, observed({ services: [old] }), true), 'demo')).toBe(
      'create service other (demo_other): not found\nremove service old (demo_old): not in the file any more (--prune)',
    );
  });

  test('new content must be a new secret, and the old one removed once nothing uses or rolls back to it', () => {
    const file = 'services:\n  web:\n    image: x\n    secrets: [pw]\nsecrets:\n  pw: {environment: PW}\n';
    const first = stackFrom(file, { secrets: { pw: base64('one') } });
    const second = stackFrom(file, { secrets: { pw: base64('two') } });
    const oldName = first.secrets[0].name;
    const newName = second.secrets[0].name;
    expect(newName).not.toBe(oldName);
    const oldSecret = { id: 's1', name: oldName, labels: { 'com.docker.stack.namespace': 'demo', 'io.tscompose.stack.content-digest': first.secrets[0].digest! } };
    const running = service(first.services[0].spec);
    const steps = planStack(second, observed({ services: [running], secrets: [oldSecret] }), { prune: false }).steps;
    // The old secret is the rollback target of the update: kept.
    expect(steps.map((step) => `${step.op.type} ${step.resource}`)).toEqual([
      `create-file-object Secret ${newName}`,
      'update-service Service demo_web',
    ]);
    // Once neither the spec nor the rollback target mounts the old one, it goes.
    const updated = service(second.services[0].spec, { previousSpec: second.services[0].spec });
    const newSecret = { ...oldSecret, id: 's2', name: newName, labels: { ...oldSecret.labels, 'io.tscompose.stack.content-digest': second.secrets[0].digest! } };
    const later = planStack(second, observed({ services: [updated], secrets: [oldSecret, newSecret] }), { prune: false });
    expect(later.steps.map((step) => `${step.op.type} ${step.resource}`)).toEqual([`remove-file-object Secret ${oldName}`]);
  });

  test('an update must free the secret the service could roll back to before it', () => {
    const file = 'services:\n  web:\n    image: x\n    secrets: [pw]\nsecrets:\n  pw: {environment: PW}\n';
    const [first, second, third] = ['one', 'two', 'three'].map((value) => stackFrom(file, { secrets: { pw: base64(value) } }));
    const secret = (version: typeof first, id: string) => ({
      id,
      name: version.secrets[0].name,
      labels: { 'com.docker.stack.namespace': 'demo', 'io.tscompose.stack.content-digest': version.secrets[0].digest! },
    });
    const running = service(second.services[0].spec, { previousSpec: first.services[0].spec });
    const steps = planStack(third, observed({ services: [running], secrets: [secret(first, 's1'), secret(second, 's2')] }), { prune: false }).steps;
    expect(steps.map((step) => `${step.op.type} ${step.resource}`)).toEqual([
      `create-file-object Secret ${third.secrets[0].name}`,
      'update-service Service demo_web',
      `remove-file-object Secret ${first.secrets[0].name}`,
    ]);
  });

  test('a name the user chose that holds other content must be a problem before anything changes', () => {
    const file = 'services:\n  web:\n    image: x\n    configs: [c]\nconfigs:\n  c: {content: new, name: app-config-v1}\n';
    const existing = { id: 'c1', name: 'app-config-v1', labels: { 'com.docker.stack.namespace': 'demo', 'io.tscompose.stack.content-digest': 'sha256:old' } };
    expect(plan(file, observed({ services: [], configs: [existing] }), false, { configs: { c: base64('new') } }).problems).toEqual([
      'config app-config-v1 already exists with other content, and a swarm cannot change a config: change its name: in the file, or leave name: out and tscompose names each content by its digest',
    ]);
  });

  test('objects of the same name that belong to another stack, and missing externals, must be problems', () => {
    const file = lines(
      'services:',
      '  web:',
      '    image: x',
      '    networks: [default, shared]',
      'networks:',
      '  shared: {external: true}',
    );
    const foreign = service({ ...STORED, Labels: { 'com.docker.stack.namespace': 'other' } });
    expect(plan(file, observed({ services: [foreign], networks: [{ ...ownNetwork, labels: {} }] })).problems).toEqual([
      'a network named demo_default exists and is not part of stack demo: rename the network in the file (name:) or remove the other one',
      'network "shared" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed',
      'a service named demo_web exists and is not part of stack demo (a stack name and a service name can combine into the same name)',
    ]);
  });

  test('a network whose definition changed must be kept with a warning that says how to apply it', () => {
    const result = plan(FILE.replace('volumes:\n  data:', 'volumes:\n  data:\nnetworks:\n  default: {attachable: true}'), observed());
    expect(result.warnings).toEqual([
      'network demo_default exists with attachable: false: a swarm cannot change a network, so it is kept; remove the stack (tscompose stack rm demo) and deploy again to apply the file\'s',
    ]);
    expect(result.steps).toEqual([]);
  });
});
