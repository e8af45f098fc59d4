/** JSON as Go's encoding/json writes it: `<`, `>`, `&` and the JS line separators escaped (`\u003c`...). */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go's strconv.Quote for the text Compose shows: JSON's escaping, with `\xNN` for control bytes. */
export function goQuote(text: string): string {
  return JSON.stringify(text).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}
