/**
 * `healthcheck`: a string test runs through the shell (`[CMD-SHELL, text]`); durations become
 * nanoseconds (printed back as Go durations).
 */
import type { Healthcheck } from './types.js';
import { parseDuration } from './durations.js';
import { compact, extensionsOf, isTree, optionalBoolean, optionalInteger, scalarString, stringList } from './scalars.js';

export function toHealthcheck(value: unknown): Healthcheck | undefined {
  if (!isTree(value)) return undefined;
  let test: string[] | undefined;
  if (Array.isArray(value.test)) test = stringList(value.test);
  else {
    const text = scalarString(value.test);
    if (text !== undefined) test = ['CMD-SHELL', text];
  }
  return compact({
    test,
    interval: parseDuration(value.interval),
    timeout: parseDuration(value.timeout),
    retries: optionalInteger(value.retries),
    start_period: parseDuration(value.start_period),
    start_interval: parseDuration(value.start_interval),
    disable: optionalBoolean(value.disable),
    extensions: extensionsOf(value),
  });
}
