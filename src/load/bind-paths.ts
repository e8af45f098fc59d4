/**
 * Host paths that are bind sources, which Compose resolves a little differently from other paths.
 * Pure: used by the loader (files from other directories) and the model (the project's own files).
 */

/**
 * A top-level volume that is really a bind mount: driver `local` with `o: bind` in its driver
 * options. Compose resolves such a volume's relative `device:` against the directory of the file
 * that declares it (and expands `~`); for any other driver or option string (`rbind`, `bind,ro`)
 * the device is passed to the driver as written.
 */
export function isLocalBindVolume(volume: Readonly<Record<string, unknown>>): boolean {
  const opts = volume.driver_opts;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) return false;
  return volume.driver === 'local' && (opts as Record<string, unknown>).o === 'bind';
}

/**
 * `C:\x` or `C:/x`: Compose 2.26 keeps such a bind source as written (a Windows client may talk to
 * a Linux engine or the other way round) instead of joining it to the project directory. A UNC
 * path (`\\server\share`) is not one of them: Compose joins it like any relative path.
 */
export function isWindowsAbsolute(value: string): boolean {
  return /^[a-zA-Z]:[\\/]/.test(value);
}

/**
 * A non-empty path with no empty, `.` or `..` segment and no trailing slash, which cleaning
 * leaves as it is (most paths in a compose file, so Go's path.Clean is skipped for them): a `.` segment starts the path or follows a slash.
 */
export function isClean(value: string): boolean {
  return value.charCodeAt(0) !== 46 /* . */ && !value.endsWith('/') && !value.includes('//') && !value.includes('/.');
}
