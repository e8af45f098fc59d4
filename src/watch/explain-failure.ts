/**
 * Failures of watch actions inside a container, turned into what the user needs: which container,
 * which path, as which user, and what to do about it. Engine messages ("container rootfs is marked
 * read-only", "permission denied", "executable file not found") are kept at the end for search.
 */
import type { FileOwner } from './container-user.js';

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim();
}

const READ_ONLY = /read-only|EROFS/i;
const PERMISSION = /permission denied|operation not permitted|EACCES|EPERM/i;
const NOT_RUNNING = /is not running|is restarting|is paused/i;
const NO_EXECUTABLE = /executable file not found|no such file or directory.*exec|OCI runtime exec failed/i;
/** A path on the way is a file ("extraction point is not a directory", "open /etc/passwd/a.txt: not a directory"). */
const NOT_A_DIRECTORY = /not a directory/i;
/** A mount point the engine cannot replace (`unlinkat /etc/hosts: device or resource busy`). */
const BUSY = /device or resource busy|EBUSY/i;
const NO_SUCH_CONTAINER = /no such container/i;

/** A failed copy (the archive upload) into `container`. The engine's text comes last, on its own line. */
export function explainCopyFailure(error: unknown, where: { readonly container: string; readonly paths: readonly string[]; readonly owner: FileOwner }): string {
  const message = messageOf(error);
  const path = where.paths.length === 1 ? where.paths[0] : `${where.paths[0]} (and ${where.paths.length - 1} more)`;
  const cannot = `cannot copy ${path} into ${where.container}`;
  const engine = `\n(engine: ${message})`;
  if (NO_SUCH_CONTAINER.test(message)) {
    return `${cannot}: the container is gone (removed or recreated meanwhile); the next change is copied into the containers running then.${engine}`;
  }
  if (READ_ONLY.test(message)) {
    return (
      `${cannot}: the container's filesystem there is read-only (read_only: true on the service, or a :ro mount). ` +
      `A sync target must be writable: remove read_only, or mount a writable volume at the target.${engine}`
    );
  }
  if (NOT_A_DIRECTORY.test(message)) {
    return (
      `${cannot}: the target, or a directory on the way to it, is a file in the container. ` +
      `Point the rule's target at a directory, or remove that file from the image.${engine}`
    );
  }
  if (BUSY.test(message)) {
    return (
      `${cannot}: the copy would replace a path the engine mounts into the container (such as /etc/hosts, or a volume). ` +
      `Point the rule's target elsewhere, or ignore that path in the rule.${engine}`
    );
  }
  if (PERMISSION.test(message)) {
    return (
      `${cannot} as ${where.owner.description}: permission denied. ` +
      `The engine writes the files for ${where.owner.description}; on a rootless engine or with user-namespace remapping ` +
      `only some ids can be used: run the service as a mapped user (user:), or make the target owned by it in the image ` +
      `(RUN mkdir -p <target> && chown ${where.owner.uid}:${where.owner.gid} <target>).${engine}`
    );
  }
  return `${cannot}: ${message}`;
}

/** A failed `rm -rf` of deleted paths in `container` (run as root). */
export function explainDeleteFailure(
  failure: { readonly error?: unknown; readonly exitCode?: number; readonly output?: string },
  where: { readonly container: string; readonly paths: readonly string[] },
): string {
  const text = failure.error !== undefined ? messageOf(failure.error) : (failure.output ?? '').trim();
  const paths = where.paths.join(', ');
  if (NO_EXECUTABLE.test(text)) {
    return (
      `cannot delete ${paths} in ${where.container}: deleted files are mirrored with "rm -rf", and the image has no rm. ` +
      `Add it to the image (e.g. busybox), or restart the service to start from the image's files again.`
    );
  }
  if (NOT_RUNNING.test(text)) return `cannot delete ${paths} in ${where.container}: the container is not running`;
  if (READ_ONLY.test(text)) {
    return `cannot delete ${paths} in ${where.container}: the filesystem there is read-only (read_only: true, or a :ro mount). (${text})`;
  }
  if (PERMISSION.test(text)) {
    return (
      `cannot delete ${paths} in ${where.container}: permission denied even as root ` +
      `(a rootless engine, or a mount the engine cannot change). (${text})`
    );
  }
  const code = failure.exitCode === undefined ? '' : ` (exit code ${failure.exitCode})`;
  return `cannot delete ${paths} in ${where.container}${code}${text === '' ? '' : `: ${text}`}`;
}

/** Who ran a command, for messages: the hook's or reload's own `user:`, else the container's user. */
export interface CommandUser {
  /** `user:` of the hook or reload, when set. */
  readonly configured?: string;
  /** The container's user (Config.User: its `user:` or the image's USER; '' = root), when known. */
  readonly container?: string;
}

export function describeCommandUser(user: CommandUser): string {
  if (user.configured !== undefined && user.configured !== '') return `user "${user.configured}"`;
  if (user.container === undefined) return "the container's user";
  return user.container === '' ? "root, the container's user" : `user "${user.container}", the container's user`;
}

/**
 * A command run in a container (a `sync+exec` hook, an exec reload) that failed or exited non-zero:
 * what ran where and as whom, the last lines it printed (indented), and on a line of its own what
 * to do. `setting` names where its `user:` is set (`the hook`, `x-tscompose-reload`).
 */
export function explainExecFailure(
  failure: { readonly error?: unknown; readonly exitCode?: number; readonly output?: string },
  where: { readonly container: string; readonly command: readonly string[]; readonly user: CommandUser; readonly setting: string },
): string {
  const command = where.command.join(' ');
  const text = failure.error !== undefined ? messageOf(failure.error) : (failure.output ?? '').trim();
  const last = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-3)
    .join('\n    ');
  if (NO_EXECUTABLE.test(text)) return `"${command}" cannot run in ${where.container}: the command is not in the image\n    ${last}`;
  if (NOT_RUNNING.test(text)) return `"${command}" cannot run in ${where.container}: the container is not running`;
  const code = failure.exitCode === undefined ? 'failed' : `exited with code ${failure.exitCode}`;
  const hint = PERMISSION.test(text) ? `\nPermission was denied: set user: in ${where.setting} to a user allowed to do this (e.g. user: root).` : '';
  return `"${command}" ${code} in ${where.container} (as ${describeCommandUser(where.user)})${last === '' ? '' : `:\n    ${last}`}${hint}`;
}
