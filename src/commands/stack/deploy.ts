/**
 * `tscompose stack deploy STACK`: the same file, read the same way as `up` reads it (`.env`,
 * `--env-file`, interpolation, profiles, include, extends, merges, positions in errors), deployed
 * to a swarm. Stages: load and validate -> the swarm checks (one warning per field a swarm cannot
 * honour, problems before anything changes) -> observe -> images -> plan -> execute -> wait until
 * converged (unless --detach) -> remove the secrets and configs no service uses any more.
 */
import { readFile } from 'node:fs/promises';
import { convergeStack } from '../../apply/stack/converge-stack.js';
import { executeStack, removeUnused } from '../../apply/stack/execute-stack.js';
import { observeStack } from '../../apply/stack/observe-stack.js';
import { chooseImages, type ResolveImage } from '../../apply/stack/stack-images.js';
import { done } from '../../apply/progress.js';
import { waitTimeoutSeconds } from '../../apply/wait.js';
import type { Context } from '../../context.js';
import { CancelledError, ConfigError, TscomposeError, UsageError } from '../../errors.js';
import { locatedMessage } from '../../load/located.js';
import type { LoadedProject } from '../../load/types.js';
import { toProject } from '../../model/index.js';
import { desiredStack } from '../../model/stack/desired-stack.js';
import { stackNameProblem } from '../../model/stack/names.js';
import type { Project } from '../../model/types.js';
import { formatStackPlan, planStack } from '../../plan/stack/stack-plan.js';
import { stackFindings } from '../../validate/stack-support.js';
import { withProgress } from '../apply-plan.js';
import { loadAndValidate } from '../../api/load-project.js';
import { createProgress } from '../output/create-progress.js';
import { registryAuthFor } from './registry-auth.js';
import { withStackSession } from './stack-session.js';

export interface StackDeployOptions {
  /** `-c/--compose-file`, repeatable; none = the global `-f`, COMPOSE_FILE or discovery, as for `up`. */
  readonly composeFiles: readonly string[];
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly prune: boolean;
  readonly resolveImage: string;
  readonly withRegistryAuth: boolean;
  readonly detach: boolean;
  readonly quiet: boolean;
  readonly waitTimeout?: number;
  readonly dryRun: boolean;
}

const RESOLVE_IMAGE: readonly string[] = ['always', 'changed', 'never'];

export async function stackDeployCommand(ctx: Context, stack: string, options: StackDeployOptions): Promise<void> {
  const nameProblem = stackNameProblem(stack);
  if (nameProblem) throw new UsageError(nameProblem);
  if (!RESOLVE_IMAGE.includes(options.resolveImage)) throw new UsageError(`invalid option ${options.resolveImage} for flag --resolve-image`);
  const dryRun = options.dryRun || ctx.options.dryRun;
  const loaded = await loadAndValidate({
    ...ctx,
    options: {
      ...ctx.options,
      files: options.composeFiles.length > 0 ? options.composeFiles : ctx.options.files,
      // The stack's name names everything, as -p names a project.
      projectName: stack,
      envFiles: [...ctx.options.envFiles, ...options.envFiles],
      profiles: [...ctx.options.profiles, ...options.profiles],
    },
  });

  await withStackSession(ctx, async (session) => {
    const { engine, swarm } = session;
    const call = { signal: ctx.forceSignal };
    const { apiVersion } = await engine.version(call);
    const findings = stackFindings(loaded, apiVersion);
    for (const warning of findings.warnings) ctx.warn(locatedMessage(warning.location, `${warning.path}: ${warning.message}`, ctx.cwd));
    if (findings.problems.length > 0) throw new ConfigError(findings.problems, loaded.sources);

    const project = toProject(loaded);
    const contents = await readContents(project, loaded);
    if (!dryRun) await session.lock(stack, 'stack deploy');
    const draft = desiredStack({ stack, project, contents });
    const observed = await observeStack(engine, swarm, draft, call);
    const registryAuth = options.withRegistryAuth ? await registryAuthFor(ctx.env) : undefined;
    const images = await chooseImages(engine, swarm, draft.services, observed.services, {
      ...call,
      resolve: options.resolveImage as ResolveImage,
      nodes: session.info.nodes,
      ...(registryAuth ? { registryAuth } : {}),
    });
    if (images.problems.length > 0) throw new TscomposeError(images.problems.join('\n'));
    const desired = desiredStack({ stack, project, contents, images: images.byService });
    const plan = planStack(desired, observed, { prune: options.prune });
    for (const warning of [...images.warnings, ...plan.warnings]) ctx.warn(warning);
    if (plan.problems.length > 0) throw new TscomposeError(plan.problems.join('\n'));
    if (dryRun) {
      ctx.stdout.write(`${formatStackPlan(plan, stack)}\n`);
      return;
    }

    const progress = createProgress(ctx);
    await withProgress(progress, async () => {
      const touched = await executeStack(engine, swarm, stack, plan, {
        ...call,
        progress,
        warn: (message) => ctx.warn(message),
        ...(registryAuth ? { registryAuth } : {}),
        secrets: observed.secrets,
        configs: observed.configs,
      });
      for (const entry of plan.unchanged) progress.event(done(entry.resource, entry.cause === 'unchanged' ? 'Unchanged' : 'Kept', entry.cause === 'unchanged' ? undefined : entry.cause));
      if (!options.detach && touched.length > 0) {
        await convergeStack(swarm, touched, {
          signal: ctx.signal,
          progress,
          timeoutMs: waitTimeoutSeconds(options.waitTimeout, ctx.env) * 1000,
          now: ctx.now,
        });
        // Ctrl-C ends the wait, not the deploy: the swarm carries on.
        if (ctx.signal.aborted) throw new CancelledError(`canceled: the swarm goes on converging; tscompose stack ps ${stack} shows how far it got`);
      }
      await removeUnused(swarm, plan, { ...call, progress, warn: (message) => ctx.warn(message) });
    });
  });
}

/**
 * The contents of the stack's secrets and configs (base64), read on this machine as docker stack
 * reads them: files, environment variables (from the same environment as interpolation) and
 * inline content. External and driver-backed ones have none.
 */
async function readContents(project: Project, loaded: LoadedProject): Promise<{ secrets: Record<string, string>; configs: Record<string, string> }> {
  const read = async (definitions: Project['secrets'], kind: string): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const [key, definition] of Object.entries(definitions)) {
      if (definition.external || definition.driver) continue;
      if (definition.file !== undefined) {
        try {
          out[key] = (await readFile(definition.file)).toString('base64');
        } catch (error) {
          throw new TscomposeError(`cannot read the file of ${kind} ${key} (${definition.file}): ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        }
      } else if (definition.environment !== undefined) {
        out[key] = Buffer.from(loaded.environment[definition.environment] ?? '').toString('base64');
      } else if (definition.content !== undefined) {
        out[key] = Buffer.from(definition.content).toString('base64');
      }
    }
    return out;
  };
  return { secrets: await read(project.secrets, 'secret'), configs: await read(project.configs, 'config') };
}
