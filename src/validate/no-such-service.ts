/**
 * A service named on the command line that the project does not have: Compose's message
 * (`no such service: wbe`), with the closest name the project has when one is close enough.
 */
import { closestMatch } from './did-you-mean.js';

/** `did you mean "web"?`, or undefined when no service is close. */
export function serviceSuggestion(name: string, known: Iterable<string>): string | undefined {
  const match = closestMatch(name, [...known]);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** `no such service: wbe (did you mean "web"?)`; several names are listed in one message, each with its suggestion. */
export function noSuchServiceMessage(unknown: readonly string[], known: Iterable<string>): string {
  const names = [...known];
  const listed = unknown.map((name) => {
    const suggestion = serviceSuggestion(name, names);
    return suggestion === undefined ? name : `${name} (${suggestion})`;
  });
  return `no such service: ${listed.join(', ')}`;
}
