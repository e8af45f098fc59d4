/**
 * A reading of a short-syntax string (a port, a volume), remembered by its text: the rules, the
 * security warnings and the reference checks each read every entry of every service again.
 * Readings are read-only values; the table is emptied when it grows large (long-running API use).
 */
export function rememberedByText<T>(read: (text: string) => T, limit = 10_000): (text: string) => T {
  const readings = new Map<string, T>();
  return (text) => {
    let reading = readings.get(text);
    if (reading === undefined) {
      if (readings.size >= limit) readings.clear();
      reading = read(text);
      readings.set(text, reading);
    }
    return reading;
  };
}
