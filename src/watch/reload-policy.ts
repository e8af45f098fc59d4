/**
 * The `x-tscompose-reload` extension: how a service is reloaded while watching when a file under
 * one of its bind-mount sources changes. Pure: values in, a policy or problems out.
 *
 * It may be set on the service (the default for all its bind mounts) and on a bind mount in long
 * syntax (that mount only). Docker Compose ignores `x-` keys, so the file stays valid for it.
 *
 *     x-tscompose-reload: restart                    # the default: restart the service's containers
 *     x-tscompose-reload: none                       # never reload (also `false`)
 *     x-tscompose-reload: {action: signal, signal: SIGHUP}
 *     x-tscompose-reload: {action: exec, command: ["nginx", "-s", "reload"], user: root, working_dir: /}
 *     x-tscompose-reload: {action: restart, ignore: ["*.log", "tmp/"]}
 *
 * `ignore` takes `.dockerignore` patterns relative to the mount's source.
 */
import type { Problem } from '../errors.js';
import { formatPath, locate, type PathSegment } from '../load/located.js';
import { toCommand } from '../model/shell-split.js';
import { isTree, optionalString, stringList, type Tree } from '../model/scalars.js';

export const RELOAD_EXTENSION = 'x-tscompose-reload';

export type ReloadAction =
  | { readonly action: 'restart' }
  | { readonly action: 'signal'; readonly signal: string }
  | {
      readonly action: 'exec';
      readonly command: readonly string[];
      readonly user?: string;
      readonly working_dir?: string;
    }
  | { readonly action: 'none' };

export type ReloadPolicy = ReloadAction & { readonly ignore?: readonly string[] };

export const DEFAULT_RELOAD: ReloadPolicy = { action: 'restart' };

const ACTIONS = ['restart', 'signal', 'exec', 'none'] as const;
const KEYS: Readonly<Record<ReloadAction['action'], readonly string[]>> = {
  restart: ['action', 'ignore'],
  none: ['action'],
  signal: ['action', 'signal', 'ignore'],
  exec: ['action', 'command', 'user', 'working_dir', 'ignore'],
};

export interface ParsedReloadPolicy {
  readonly policy?: ReloadPolicy;
  /** Relative to the value: `''` for the value itself, `signal`, `command`, ... */
  readonly problems: readonly { readonly at: readonly PathSegment[]; readonly message: string; readonly hint?: string }[];
}

/** `HUP`, `sighup`, `SIGHUP`, `1` -> the name (or number) the engine's kill call accepts. */
export function normalizeSignal(value: string): string | undefined {
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) > 0 && Number(text) < 65 ? text : undefined;
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return /^SIG[A-Z0-9+-]+$/.test(name) && name.length > 3 ? name : undefined;
}

/** Parses one extension value. Undefined input gives no policy and no problem. */
export function parseReloadPolicy(value: unknown): ParsedReloadPolicy {
  if (value === undefined) return { problems: [] };
  if (value === false || value === 'none') return { policy: { action: 'none' }, problems: [] };
  if (value === true || value === 'restart') return { policy: { action: 'restart' }, problems: [] };
  if (!isTree(value)) {
    return {
      problems: [
        {
          at: [],
          message: `${RELOAD_EXTENSION} must be "restart", "none", or a mapping with an action`,
          hint: 'e.g. {action: signal, signal: SIGHUP} or {action: exec, command: [nginx, -s, reload]}',
        },
      ],
    };
  }
  return parseMapping(value);
}

function parseMapping(value: Tree): ParsedReloadPolicy {
  const problems: { at: PathSegment[]; message: string; hint?: string }[] = [];
  const action = optionalString(value.action);
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    problems.push({
      at: ['action'],
      message: action === undefined ? `${RELOAD_EXTENSION} needs an action` : `unknown reload action "${action}"`,
      hint: `use one of: ${ACTIONS.join(', ')}`,
    });
    return { problems };
  }
  const kind = action as ReloadAction['action'];
  for (const key of Object.keys(value)) {
    if (!KEYS[kind].includes(key) && !key.startsWith('x-')) {
      problems.push({ at: [key], message: `${key} is not allowed with action ${kind}`, hint: `allowed: ${KEYS[kind].join(', ')}` });
    }
  }
  let ignore: string[] | undefined;
  if (value.ignore !== undefined) {
    ignore = stringList(value.ignore);
    if (ignore === undefined) {
      problems.push({ at: ['ignore'], message: 'ignore must be a list of patterns' });
    }
  }
  const withIgnore = <T extends ReloadAction>(policy: T): ReloadPolicy => (ignore && ignore.length > 0 ? { ...policy, ignore } : policy);
  switch (kind) {
    case 'none':
      return { policy: { action: 'none' }, problems };
    case 'restart':
      return { policy: withIgnore({ action: 'restart' }), problems };
    case 'signal': {
      const raw = optionalString(value.signal);
      const signal = raw === undefined ? undefined : normalizeSignal(raw);
      if (signal === undefined) {
        problems.push({
          at: value.signal === undefined ? [] : ['signal'],
          message: raw === undefined ? 'action signal needs a signal' : `"${raw}" is not a signal name`,
          hint: 'e.g. signal: SIGHUP',
        });
        return { problems };
      }
      return { policy: withIgnore({ action: 'signal', signal }), problems };
    }
    case 'exec': {
      const command = toCommand(value.command);
      if (command === undefined || command.length === 0) {
        problems.push({ at: value.command === undefined ? [] : ['command'], message: 'action exec needs a command', hint: 'e.g. command: [nginx, -s, reload]' });
        return { problems };
      }
      const user = optionalString(value.user);
      const workingDir = optionalString(value.working_dir);
      return {
        policy: withIgnore({
          action: 'exec',
          command,
          ...(user === undefined ? {} : { user }),
          ...(workingDir === undefined ? {} : { working_dir: workingDir }),
        }),
        problems,
      };
    }
  }
}

/**
 * Every problem with the extension in a loaded (located) tree, with its file:line:col: on each
 * service and on each long-syntax volume entry.
 */
export function reloadExtensionProblems(tree: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const services = tree.services;
  if (!isTree(services)) return problems;
  const check = (value: unknown, at: PathSegment[]): void => {
    for (const problem of parseReloadPolicy(value).problems) {
      const path = [...at, ...problem.at];
      const location = locate(tree, path);
      problems.push({
        path: formatPath(path),
        message: problem.message,
        ...(location ? { location } : {}),
        ...(problem.hint ? { hint: problem.hint } : {}),
      });
    }
  };
  for (const [name, service] of Object.entries(services)) {
    if (!isTree(service)) continue;
    check(service[RELOAD_EXTENSION], ['services', name, RELOAD_EXTENSION]);
    const volumes = service.volumes;
    if (!Array.isArray(volumes)) continue;
    volumes.forEach((volume, index) => {
      if (isTree(volume)) check(volume[RELOAD_EXTENSION], ['services', name, 'volumes', index, RELOAD_EXTENSION]);
    });
  }
  return problems;
}

