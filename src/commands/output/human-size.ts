/** Sizes as the Docker CLI prints them: decimal units with three significant digits (`1.99MB`), or binary ones with four (`7.5MiB`). */

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scaled(bytes: number, base: number, units: readonly string[], digits: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  // Go's %.3g / %.4g: significant digits, trailing zeros dropped.
  return `${Number(value.toPrecision(digits))}${units[unit]}`;
}

/** `docker images` and `compose images`: 1985631 -> `1.99MB`. */
export function humanSize(bytes: number): string {
  return scaled(bytes, 1000, DECIMAL, 3);
}

/** `docker stats` memory: 7864320 -> `7.5MiB`. */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, BINARY, 4);
}
