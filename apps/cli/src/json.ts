/** JSON text of a value; bigints (if any slipped through) as decimal strings. */
export function jsonStringify(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), indent);
}
