/**
 * `--build-arg KEY=VALUE` (repeatable), as the Docker CLI reads it: `KEY` alone takes the value
 * from the environment and is dropped when the variable is unset there.
 */
import { UsageError } from '../errors.js';

export function parseBuildArgs(values: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    const key = equals < 0 ? value : value.slice(0, equals);
    if (key === '') throw new UsageError(`invalid --build-arg ${JSON.stringify(value)}: use KEY=VALUE or KEY`);
    if (equals >= 0) args[key] = value.slice(equals + 1);
    else if (env[key] !== undefined) args[key] = env[key]!;
  }
  return args;
}
