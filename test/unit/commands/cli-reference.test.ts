/**
 * docs/cli.md's generated part must say what the command definitions declare, and every flag it
 * lists must be in the `--help` of the command as users run it (the unit project's bundle).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../../src/cli.js';
import { GENERATED_END, GENERATED_START, renderCliReference } from '../../../src/commands/cli-reference.js';
import { runCli, unitCliPath } from '../../support/run-cli.js';

const page = readFileSync(fileURLToPath(new URL('../../../docs/cli.md', import.meta.url)), 'utf8');
const generated = page.slice(page.indexOf(GENERATED_START), page.indexOf(GENERATED_END) + GENERATED_END.length);

test('docs/cli.md must match the command definitions (run `npm run docs:cli` after changing a command)', () => {
  expect(page.indexOf(GENERATED_START)).toBeGreaterThan(0);
  expect(`${generated}\n`).toBe(renderCliReference(buildProgram()));
});

test('every flag docs/cli.md lists for a command must be in that command’s --help', async () => {
  const sections = generated.split('\n### tscompose ').slice(1);
  expect(sections.length).toBe(buildProgram().commands.length);
  await Promise.all(
    sections.map(async (section) => {
      const command = section.split('\n')[0];
      const flags = [...section.matchAll(/^\| `(-[^`]+)` \|/gm)].map((match) => match[1].replace(/\\\|/g, '|'));
      const help = await runCli([command, '--help'], { cwd: process.cwd(), cli: unitCliPath });
      expect(help.code).toBe(0);
      for (const flag of flags) expect(`${command}: ${help.stdout.includes(flag) ? flag : `missing ${flag}`}`).toBe(`${command}: ${flag}`);
    }),
  );
  // One CLI process per command: a busy 2-core machine needs more than jest's default 5 s.
}, 60_000);
