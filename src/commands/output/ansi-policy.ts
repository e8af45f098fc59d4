/**
 * Whether output may carry ANSI escape codes, decided once from `--ansi` (or COMPOSE_ANSI),
 * NO_COLOR and whether the stream is a terminal:
 * - `always`: colour, even into a pipe or a file;
 * - `never`: no escape code at all, so no colour and no redrawn progress view (the view moves the
 *   cursor), as in Compose, which also prints plain progress then;
 * - `auto`: colour on a terminal unless NO_COLOR is set (to anything but the empty string).
 */
import { UsageError } from '../../errors.js';

export type AnsiSetting = 'auto' | 'always' | 'never';

export const ANSI_SETTINGS: readonly AnsiSetting[] = ['auto', 'always', 'never'];

export function colorAllowed(ansi: AnsiSetting, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (ansi === 'always') return true;
  if (ansi === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}

/** `--ansi` wins over COMPOSE_ANSI; an unknown value is a usage error. */
export function ansiSetting(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): AnsiSetting {
  const value = flag ?? env.COMPOSE_ANSI ?? 'auto';
  if (!(ANSI_SETTINGS as readonly string[]).includes(value)) {
    throw new UsageError(`unsupported --ansi value "${value}": use auto, always or never`);
  }
  return value as AnsiSetting;
}

/** The progress modes that contradict the ANSI setting, refused with Compose's words. */
export function checkProgressAgainstAnsi(progress: string, ansi: AnsiSetting): void {
  if (progress === 'tty' && ansi === 'never') throw new UsageError("can't use --progress tty while ANSI support is disabled");
  if (progress === 'plain' && ansi === 'always') throw new UsageError("can't use --progress plain while ANSI support is forced");
}
