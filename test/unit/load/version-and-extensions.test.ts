import { loadIn, project } from './load-helpers.js';

describe('version and x- extensions', () => {
  test('version must be removed with Compose\'s warning, once per file', async () => {
    const dir = project({ 'compose.yaml': 'version: "3.8"\nservices:\n  s: {image: x}\n---\nversion: "3"\n' });
    const result = await loadIn(dir);
    expect(result.tree.version).toBeUndefined();
    expect(result.warnings).toEqual([
      `${dir}/compose.yaml: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
    ]);
  });

  test('x- keys must be kept verbatim at every level', async () => {
    const dir = project({ 'compose.yaml': 'x-common: &c {restart: always}\nservices:\n  s:\n    <<: *c\n    image: x\n    x-custom: "yes"\nnetworks:\n  n: {x-meta: [1, 2]}\n' });
    const tree = (await loadIn(dir)).tree as any;
    expect(tree['x-common']).toEqual({ restart: 'always' });
    expect(tree.services.s).toEqual({ restart: 'always', image: 'x', 'x-custom': 'yes' });
    expect(tree.networks.n['x-meta']).toEqual([1, 2]);
  });
});
