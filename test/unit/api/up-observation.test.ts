/**
 * When up lists the project: while its image step runs (the lists do not depend on it), and once
 * more after the step when it pulled or built something, since the project may have changed
 * meanwhile. Checked against the in-memory engine, which records the order of the calls.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/api/index.js';
import type { ContainerSummary, ImageSummary } from '../../../src/apply/engine.js';
import { FakeEngine } from '../../support/fake-engine.js';
// The session imports these two at once, lazily (see fake-context.ts).
import '../../../src/apply/project-lock.js';
import '../../../src/apply/seal-key.js';

/** Records when the project is listed and when the image inspect is answered. */
class OrderedEngine extends FakeEngine {
  readonly order: string[] = [];
  override async listContainers(project: string): Promise<ContainerSummary[]> {
    this.order.push('list containers');
    return super.listContainers(project);
  }
  override async inspectImage(ref: string): Promise<ImageSummary | undefined> {
    // Answers a little later than at once, as an engine does.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const image = await super.inspectImage(ref);
    this.order.push(`image ${image ? 'present' : 'missing'}`);
    return image;
  }
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function projectOptions(engine: FakeEngine) {
  const root = mkdtempSync(join(tmpdir(), 'tscompose-up-observation-'));
  roots.push(root);
  const cwd = join(root, 'shop');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
  return { cwd, env: { XDG_STATE_HOME: join(root, 'state'), HOME: root }, connectEngine: async () => ({ engine, url: 'fake://engine' }) };
}

describe('up observing the project', () => {
  test('an up whose images are all present must list the project while the image step runs, and only then', async () => {
    const engine = new OrderedEngine();
    const project = await loadProject(projectOptions(engine));
    await project.up();
    expect(engine.order.slice(0, 2)).toEqual(['list containers', 'image present']);
    expect(engine.order.filter((entry) => entry === 'list containers')).toHaveLength(1);
  });

  test('an up that pulled an image must list the project again after the pull', async () => {
    const engine = new OrderedEngine();
    engine.allImagesPresent = false;
    const project = await loadProject(projectOptions(engine));
    await project.up();
    expect(engine.methods()).toContain('pullImage busybox');
    const lists = engine.order.flatMap((entry, index) => (entry === 'list containers' ? [index] : []));
    expect(lists).toHaveLength(2);
    // The second list follows the pull, which followed the inspect that found the image missing.
    expect(lists[1]).toBeGreaterThan(engine.order.indexOf('image missing'));
  });
});
