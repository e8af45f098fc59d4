// Jest globalSetup: brings the project up through tscompose's API and hands the tests the URL of
// the web service's published port. Jest runs it once, before any test file.
import { fileURLToPath } from 'node:url';
import { loadProject } from 'tscompose';

export const projectDirectory = fileURLToPath(new URL('.', import.meta.url));
/** One project per run: set JEST_EXAMPLE_PROJECT to run several at once. */
export const projectName = process.env.JEST_EXAMPLE_PROJECT ?? 'jest-example';

export default async function globalSetup() {
  const project = await loadProject({
    cwd: projectDirectory,
    projectName,
    // Print what happens as Compose's plain progress does; leave it out to stay quiet.
    onEvent: (event) => {
      if (event.type === 'resource' && event.state !== 'working') console.log(` ${event.resource}  ${event.text}`);
      if (event.type === 'warning') console.warn(`WARN ${event.message}`);
    },
  });
  // Waits until db is healthy and web runs; fails with the reason (and the last log lines) if not.
  await project.up({ wait: true, signal: AbortSignal.timeout(120_000) });
  const { port } = await project.port('web', 8080);
  process.env.WEB_URL = `http://127.0.0.1:${port}`;
}
