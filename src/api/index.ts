/**
 * tscompose as a library: `import { loadProject } from 'tscompose'`.
 *
 * ```ts
 * const project = await loadProject({ cwd: 'test/env', projectName: 'it' });
 * await project.up({ wait: true });
 * const { port } = await project.port('web', 80);
 * // ... talk to http://127.0.0.1:${port}
 * await project.down({ volumes: true });
 * ```
 *
 * The same loader, planner and engine code as the `tscompose` command: a project loaded here is
 * the project `tscompose config` prints, `up` converges it as `tscompose up` does, and what it
 * creates carries Compose's labels, so the CLI (and Docker Compose) see it. Nothing is written to
 * stdout or stderr: progress and warnings come as typed events to the `onEvent` listener given to
 * `loadProject` or to a call. Every call takes an `AbortSignal`.
 *
 * Errors are typed: a `ConfigError` lists every problem of the files with its `file:line:col`
 * (`formatProblems` prints them as the CLI does), a `UsageError` is a wrong argument (an unknown
 * service), an `EngineError` says what the engine refused and its `kind`, an `ExecutionError`
 * says which steps of a plan failed and what was done, and a `CancelledError` follows an abort.
 *
 * @packageDocumentation
 */
import type { ConfigError } from '../errors.js';
import { renderProblems } from '../render-problems.js';

export {
  ComposeProject,
  loadProject,
  type CallOptions,
  type ContainerInfo,
  type DownOptions,
  type ExecOptions,
  type LoadProjectOptions,
  type LogsOptions,
  type PortOptions,
  type PsOptions,
  type UpOptions,
} from './project.js';
export type { BuildOutputEvent, EventListener, PlanEvent, ProjectEvent, ResourceEvent, WarningEvent } from './events.js';
export type { ExitEntry, LogEntry } from './logs.js';
export type { PublishedAddress } from './port.js';
export type { ExecResult, PublishedPort } from '../apply/engine.js';
export { CancelledError, ConfigError, EngineError, TscomposeError, UsageError, type EngineErrorKind, type Problem, type SourceLocation } from '../errors.js';
export { ExecutionError } from '../apply/execution-summary.js';
export { WaitError } from '../apply/wait.js';

/**
 * The problems of a `ConfigError` as the CLI prints them: `compose.yaml:5:5  services.web.imagee
 * Additional property imagee is not allowed`, each with a short code frame and a hint when there
 * is one. File names under `cwd` are shown relative to it.
 */
export function formatProblems(error: ConfigError, options: { readonly cwd?: string } = {}): string {
  return renderProblems(error.problems, error.sources, undefined, options);
}
