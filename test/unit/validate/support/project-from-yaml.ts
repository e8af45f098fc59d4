/**
 * Inline YAML in, a validator input out: for unit tests of one rule or one message. Services
 * without profiles are enabled, and those with an active profile.
 */
import { parseYaml } from '../../../../src/load/parse-yaml.js';
import { validate, type ValidationInput } from '../../../../src/validate/index.js';

export function projectFromYaml(text: string, options: { profiles?: readonly string[]; file?: string } = {}): ValidationInput {
  const file = options.file ?? 'compose.yaml';
  const parsed = parseYaml(text, file);
  if (parsed.problems.length > 0) throw new Error(`test YAML does not parse: ${parsed.problems[0].message}`);
  const tree = parsed.documents[0] as Record<string, unknown>;
  const profiles = options.profiles ?? [];
  const services = (tree.services ?? {}) as Record<string, { profiles?: string[] } | null>;
  const enabledServices = Object.entries(services)
    .filter(([, service]) => {
      const own = service?.profiles ?? [];
      return own.length === 0 || own.some((profile) => profiles.includes(profile));
    })
    .map(([name]) => name);
  return { tree, enabledServices, activeProfiles: profiles, configFiles: [file] };
}

/** The problems of an inline file as `path: message` lines, the compact form most tests compare. */
export function problemLines(text: string, options: { profiles?: readonly string[] } = {}): string[] {
  return validate(projectFromYaml(text, options)).map((problem) => `${problem.path}: ${problem.message}`);
}
