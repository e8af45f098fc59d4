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

/** A failed copy (the archive upload) into `container`. */
export function explainCopyFailure(error: unknown, where: { readonly container: string; readonly paths: readonly string[]; readonly owner: FileOwner }): string {
  const message = messageOf(error);
  const path = where.paths.length === 1 ? where.paths[0] : `${where.paths[0]} (and ${where.paths.length - 1} more)`;
  if (READ_ONLY.test(message)) {
    return (
      `cannot copy ${path} into ${where.container}: the container's filesystem there is read-only ` +
      `(read_only: true on the service, or a :ro mount). A sync target must be writable: remove read_only, ` +
      `or mount a writable volume at the target. (engine: ${message})`
    );
  }
  if (PERMISSION.test(message)) {
    return (
      `cannot copy ${path} into ${where.container} as ${where.owner.description}: permission denied. ` +
      `The engine writes the files for ${where.owner.description}; on a rootless engine or with user-namespace remapping ` +
      `only some ids can be used: run the service as a mapped user (user:), or make the target owned by it in the image ` +
      `(RUN mkdir -p <target> && chown ${where.owner.uid}:${where.owner.gid} <target>). (engine: ${message})`
    );
  }
  return `cannot copy ${path} into ${where.container}: ${message}`;
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

/** A command run in a container (a `sync+exec` hook, an exec reload) that failed or exited non-zero. */
export function explainExecFailure(
  failure: { readonly error?: unknown; readonly exitCode?: number; readonly output?: string },
  where: { readonly container: string; readonly command: readonly string[]; readonly user?: string },
): string {
  const command = where.command.join(' ');
  const as = where.user === undefined || where.user === '' ? "the container's user" : `user "${where.user}"`;
  const text = failure.error !== undefined ? messageOf(failure.error) : (failure.output ?? '').trim();
  const last = text.split('\n').filter((line) => line.trim() !== '').slice(-3).join('\n    ');
  if (NO_EXECUTABLE.test(text)) return `"${command}" cannot run in ${where.container}: the command is not in the image (${last})`;
  if (NOT_RUNNING.test(text)) return `"${command}" cannot run in ${where.container}: the container is not running`;
  const code = failure.exitCode === undefined ? 'failed' : `exited with code ${failure.exitCode}`;
  const hint = PERMISSION.test(text) ? ` It ran as ${as}: set user: in the hook to a user allowed to do this (e.g. user: root).` : '';
  return `"${command}" ${code} in ${where.container} (as ${as})${last === '' ? '' : `:\n    ${last}`}${hint}`;
}
