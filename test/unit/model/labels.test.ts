import {
  APPLIED_CONFIG_MAX_LENGTH,
  LABEL,
  TSCOMPOSE_LABEL,
  containerLabels,
  dependsOnLabelValue,
  networkLabels,
  parseDependsOnLabel,
  isProjectContainer,
  projectContainerFilters,
  projectLabelFilter,
  volumeLabels,
} from '../../../src/model/labels.js';
import type { Project, Service } from '../../../src/model/types.js';

const project: Project = {
  name: 'shop',
  workingDir: '/srv/shop',
  configFiles: ['/srv/shop/compose.yaml', '/srv/shop/compose.override.yaml'],
  envFiles: [],
  envFilesRequested: false,
  services: {},
  disabledServices: {},
  networks: {},
  volumes: {},
  secrets: {},
  configs: {},
  extensions: {},
};

const web: Service = {
  name: 'web',
  image: 'nginx',
  depends_on: {
    migrate: { condition: 'service_completed_successfully', required: true },
    db: { condition: 'service_healthy', required: true, restart: true },
  },
};

describe('labels', () => {
  test('container labels must use Compose\'s keys and value spellings', () => {
    expect(
      containerLabels({ project, service: web, number: 2, configHash: 'abc', appliedConfig: { text: '{}', keyId: 'k1' }, toolVersion: '1.2.3', imageId: 'sha256:1' }),
    ).toEqual({
      [LABEL.project]: 'shop',
      [LABEL.service]: 'web',
      [LABEL.containerNumber]: '2',
      [LABEL.oneoff]: 'False',
      [LABEL.configHash]: 'abc',
      [LABEL.image]: 'sha256:1',
      [LABEL.dependsOn]: 'db:service_healthy:true,migrate:service_completed_successfully:false',
      [LABEL.workingDir]: '/srv/shop',
      [LABEL.configFiles]: '/srv/shop/compose.yaml,/srv/shop/compose.override.yaml',
      [LABEL.version]: '1.2.3',
      [TSCOMPOSE_LABEL.appliedConfig]: '{}',
      [TSCOMPOSE_LABEL.appliedConfigKey]: 'k1',
    });
  });

  test('label keys must be Compose\'s exact strings', () => {
    expect(LABEL).toMatchObject({
      project: 'com.docker.compose.project',
      containerNumber: 'com.docker.compose.container-number',
      dependsOn: 'com.docker.compose.depends_on',
      workingDir: 'com.docker.compose.project.working_dir',
      configFiles: 'com.docker.compose.project.config_files',
      environmentFile: 'com.docker.compose.project.environment_file',
    });
  });

  test('a service without dependencies must get an empty depends_on label, as Compose writes', () => {
    expect(dependsOnLabelValue(undefined)).toBe('');
  });

  test('env files asked for, a replaced container and a one-off must show in the labels', () => {
    const labels = containerLabels({
      project: { ...project, envFiles: ['/srv/shop/prod.env'], envFilesRequested: true },
      service: web,
      number: 1,
      configHash: 'h',
      appliedConfig: { text: '{}', keyId: 'k1' },
      toolVersion: '1',
      oneoff: true,
      replaces: 'f'.repeat(64),
      slug: 'abc123',
    });
    expect(labels).toMatchObject({
      [LABEL.environmentFile]: '/srv/shop/prod.env',
      [LABEL.replace]: 'f'.repeat(64),
      [LABEL.oneoff]: 'True',
      [LABEL.slug]: 'abc123',
    });
  });

  test('the implicit .env must not show in the labels, as in Compose', () => {
    const labels = containerLabels({
      project: { ...project, envFiles: ['/srv/shop/.env'], envFilesRequested: false },
      service: web,
      number: 1,
      configHash: 'h',
      appliedConfig: { text: '{}', keyId: 'k1' },
      toolVersion: '1',
      oneoff: false,
    });
    expect(labels).not.toHaveProperty([LABEL.environmentFile]);
  });

  test('an oversized applied config must be left out while the hash stays', () => {
    const labels = containerLabels({
      project,
      service: web,
      number: 1,
      configHash: 'h',
      appliedConfig: { text: 'x'.repeat(APPLIED_CONFIG_MAX_LENGTH + 1), keyId: 'k1' },
      toolVersion: '1',
    });
    expect(labels[TSCOMPOSE_LABEL.appliedConfig]).toBeUndefined();
    expect(labels[TSCOMPOSE_LABEL.appliedConfigKey]).toBeUndefined();
    expect(labels[LABEL.configHash]).toBe('h');
  });

  test('network and volume identity labels must win over the user\'s labels', () => {
    const spoof = { [LABEL.project]: 'other', [LABEL.network]: 'x', [LABEL.volume]: 'x', team: 'a' };
    expect(networkLabels(project, 'back', { name: 'shop_back', labels: spoof }, '1')).toEqual({
      ...spoof,
      [LABEL.project]: 'shop',
      [LABEL.network]: 'back',
      [LABEL.version]: '1',
    });
    expect(volumeLabels(project, 'data', { name: 'shop_data', labels: spoof }, '1', { text: '{"name":"shop_data"}', keyId: 'k1' })).toEqual({
      ...spoof,
      [LABEL.project]: 'shop',
      [LABEL.volume]: 'data',
      [LABEL.version]: '1',
      [TSCOMPOSE_LABEL.appliedConfig]: '{"name":"shop_data"}',
      [TSCOMPOSE_LABEL.appliedConfigKey]: 'k1',
    });
  });

  test('a depends_on label must read back into its entries', () => {
    expect(parseDependsOnLabel(dependsOnLabelValue(web.depends_on))).toEqual([
      { service: 'db', condition: 'service_healthy', restart: true },
      { service: 'migrate', condition: 'service_completed_successfully', restart: false },
    ]);
    expect(parseDependsOnLabel('')).toEqual([]);
  });

  test('the project filter must match the project label exactly', () => {
    expect(projectLabelFilter('shop')).toBe('com.docker.compose.project=shop');
  });

  test('the container filters must also require a config hash, as Compose does (P6)', () => {
    expect(projectContainerFilters('shop')).toEqual(['com.docker.compose.project=shop', 'com.docker.compose.config-hash']);
    expect(isProjectContainer({ [LABEL.project]: 'shop', [LABEL.configHash]: 'abc' }, 'shop')).toBe(true);
    expect(isProjectContainer({ [LABEL.project]: 'shop', [LABEL.service]: 'web', [LABEL.containerNumber]: '1' }, 'shop')).toBe(false);
    expect(isProjectContainer({ [LABEL.project]: 'shop1', [LABEL.configHash]: 'abc' }, 'shop')).toBe(false);
  });
});
