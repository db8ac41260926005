/** A JSON value as `aesc inspect` prints it (big integers as decimal strings). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
