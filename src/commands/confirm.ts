/**
 * A yes/no question on the terminal (`rm` without `-f`). The answer is read from stdin, also when
 * it is not a terminal (`echo y | tscompose rm`), as Compose does; anything but y/yes is no.
 */
import { createInterface } from 'node:readline';
import type { Context } from '../context.js';

export async function confirm(ctx: Context, question: string): Promise<boolean> {
  const interactive = Boolean((ctx.stdin as { isTTY?: boolean }).isTTY);
  if (interactive) ctx.stdout.write(`? ${question} (y/N) `);
  const lines = createInterface({ input: ctx.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    lines.close();
    (ctx.stdin as NodeJS.ReadStream).pause?.();
  }
}
