// Jest globalTeardown: removes the project's containers, network and volume, whatever the tests did.
import { loadProject } from 'tscompose';
import { projectDirectory, projectName } from './global-setup.mjs';

export default async function globalTeardown() {
  const project = await loadProject({ cwd: projectDirectory, projectName });
  await project.down({ volumes: true, signal: AbortSignal.timeout(60_000) });
}
