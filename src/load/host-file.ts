/**
 * A host path as written in the file (`./x`, `/etc/x`, `~/x`), made absolute the way Compose does:
 * `~` against the user's home, anything relative against the project directory. Used by the
 * loader's and the validator's checks, before the model resolves paths for good (model/paths.ts).
 */
import path from 'node:path';

/** The absolute path, or undefined for a `~` path when the home directory is unknown. */
export function resolveHostFile(file: string, workingDir: string, home: string | undefined): string | undefined {
  if (file === '~' || file.startsWith('~/')) return home === undefined ? undefined : path.posix.join(home, file.slice(1));
  return path.posix.resolve(workingDir, file);
}
