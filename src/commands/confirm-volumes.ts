/**
 * A volume of the project whose definition changed since it was created is recreated only when
 * the user says so (reliability P18: its data is lost). As in newer Docker Compose: `up -y`
 * (`--yes`) confirms every such volume; on a terminal `up` asks for each one, default no; with no
 * terminal to ask on and no `-y`, nothing is asked and the volume is kept, data and all (the plan
 * warns and names `up -y`). Compose in that case reads its answer from whatever stdin is, and
 * hangs on a pipe nobody writes to.
 */
import { createRequire } from 'node:module';
import type * as Readline from 'node:readline/promises';
import type { Context } from '../context.js';
import type { DivergedVolume } from '../plan/networks-and-volumes.js';

/** Compose's question, with the fields that changed. */
export function volumeQuestion(volume: DivergedVolume): string {
  return `? Volume "${volume.name}" exists but doesn't match configuration in compose file (${volume.changes}). Recreate (data will be lost)? (y/N) `;
}

/** What counts as yes: `y` or `yes`, any case; anything else (an empty line too) is the default, no. */
export function isYes(answer: string): boolean {
  return /^y(es)?$/i.test(answer.trim());
}

/** The keys of the volumes to recreate. */
export async function confirmVolumeRecreation(ctx: Context, diverged: readonly DivergedVolume[], yes: boolean): Promise<ReadonlySet<string>> {
  if (diverged.length === 0 || ctx.options.dryRun) return new Set(yes ? diverged.map((volume) => volume.key) : []);
  if (yes) return new Set(diverged.map((volume) => volume.key));
  const interactive = (ctx.stdin as { isTTY?: boolean }).isTTY === true && (ctx.stderr as { isTTY?: boolean }).isTTY === true;
  if (!interactive) return new Set();
  const confirmed = new Set<string>();
  // Loaded only when there is something to ask: readline is a dozen modules at every up's start.
  const { createInterface } = createRequire(import.meta.url)('node:readline/promises') as typeof Readline;
  const prompt = createInterface({ input: ctx.stdin, output: ctx.stderr });
  try {
    for (const volume of diverged) {
      const answer = await prompt.question(volumeQuestion(volume), { signal: ctx.signal }).catch(() => '');
      if (ctx.signal.aborted) break;
      if (isYes(answer)) confirmed.add(volume.key);
    }
  } finally {
    prompt.close();
  }
  return confirmed;
}
