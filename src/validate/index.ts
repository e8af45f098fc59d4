/**
 * validate: the merged tree against the compose schema, then the cross-field rules. Every problem
 * is collected (nothing stops at the first), each at the file:line:col of the node that caused
 * it, and they come back sorted by file (in the order the files were given) and position.
 */
import type { Problem } from '../errors.js';
import { formatPath, locate } from '../load/located.js';
import type { LoadedProject } from '../load/types.js';
import { schemaErrors } from './compiled-schema.js';
import { type Finding, valueAt } from './finding.js';
import { isMapping, type Mapping, type RuleInput } from './rule.js';
import { RULES } from './rules/index.js';
import { schemaFindings } from './schema-problems.js';

export type ValidationInput = Pick<LoadedProject, 'tree' | 'enabledServices' | 'activeProfiles' | 'configFiles'>;

export interface ValidateOptions {
  /**
   * false when the tree was loaded without interpolation (`config --no-interpolate`): values
   * that still hold `${VAR}` cannot be judged, so problems about them are dropped, as Compose
   * does. Default true.
   */
  readonly interpolated?: boolean;
}

/** All problems of the project; an empty list means it is valid. */
export function validate(loaded: ValidationInput, options: ValidateOptions = {}): Problem[] {
  const { tree } = loaded;
  const findings: Finding[] = schemaFindings(tree, schemaErrors(tree));
  const input = ruleInput(loaded);
  for (const rule of RULES) if (rule.target === undefined) findings.push(...rule.check(input));
  return problemsOf(loaded, findings, options);
}

/**
 * What an engine without Swarm cannot run (named pipes, cluster volumes, swarm-only secrets, ...),
 * each at its position: checked before `up`, `create`, `run` or `watch` touch the engine, and shown
 * by `config` as warnings. A swarm (`stack deploy`) runs these.
 */
export function validateForEngine(loaded: ValidationInput, options: ValidateOptions = {}): Problem[] {
  const input = ruleInput(loaded);
  const findings = RULES.filter((rule) => rule.target === 'engine').flatMap((rule) => [...rule.check(input)]);
  return problemsOf(loaded, findings, options);
}

function problemsOf(loaded: ValidationInput, found: readonly Finding[], options: ValidateOptions): Problem[] {
  const { tree } = loaded;
  const findings = options.interpolated === false ? found.filter((finding) => !holdsVariable(valueAt(tree, finding.path))) : found;
  return sortProblems(dedupe(findings).map((finding) => toProblem(tree, finding)), loaded.configFiles);
}

/** `$VAR` or `${...}` that interpolation would have replaced (`$$` is a literal dollar). */
function holdsVariable(value: unknown): boolean {
  return typeof value === 'string' && /(^|[^$])(\$\$)*\$(\{|[A-Za-z_])/.test(value);
}

function ruleInput(loaded: ValidationInput): RuleInput {
  const services = isMapping(loaded.tree.services) ? loaded.tree.services : {};
  return {
    tree: loaded.tree,
    services: Object.entries(services).filter((entry): entry is [string, Mapping] => isMapping(entry[1])),
    enabled: new Set(loaded.enabledServices),
    activeProfiles: loaded.activeProfiles,
  };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${formatPath(finding.path)}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toProblem(tree: unknown, finding: Finding): Problem {
  const location = locate(tree, finding.path, pointAt(tree, finding));
  return {
    path: formatPath(finding.path),
    message: finding.message,
    ...(location ? { location } : {}),
    ...(finding.hint ? { hint: finding.hint } : {}),
  };
}

/**
 * A block mapping or sequence starts on the line after its key, at its first entry: pointing
 * there for "services.web.environment.FOO must be a string" would blame the wrong line, so
 * problems about a whole collection point at its key.
 */
function pointAt(tree: unknown, finding: Finding): 'key' | 'value' {
  if (finding.at) return finding.at;
  const value = valueAt(tree, finding.path);
  if (typeof value !== 'object' || value === null || finding.path.length === 0) return 'value';
  const key = locate(tree, finding.path, 'key');
  const start = locate(tree, finding.path, 'value');
  return key && start && key.file === start.file && key.line < start.line ? 'key' : 'value';
}

/** By file (the compose files in their given order first), then line, column and path. */
export function sortProblems(problems: readonly Problem[], fileOrder: readonly string[] = []): Problem[] {
  const rank = (file: string | undefined): number => {
    if (file === undefined) return Number.MAX_SAFE_INTEGER;
    const index = fileOrder.indexOf(file);
    return index < 0 ? fileOrder.length : index;
  };
  return [...problems].sort((a, b) => {
    const fa = a.location?.file;
    const fb = b.location?.file;
    return (
      rank(fa) - rank(fb) ||
      (fa ?? '').localeCompare(fb ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.col ?? 0) - (b.location?.col ?? 0) ||
      a.path.localeCompare(b.path)
    );
  });
}
