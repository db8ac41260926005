/**
 * JSON as the node writes it: integers of any size as plain number literals (the node's amounts
 * exceed 2^53), so bigints are written digit for digit.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `\u0000big:${v}` : v), indent).replace(
    /"\\u0000big:(-?\d+)"/g,
    '$1',
  );
}

/** Parses JSON keeping integers beyond 2^53 exact (as bigint); other numbers stay numbers. */
export function parseJson(text: string): unknown {
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d{16,})(?![\d.eE])/g, (_m, str: string | undefined, big: string | undefined) =>
    str !== undefined ? str : `"\\u0000big:${big}"`,
  );
  return JSON.parse(marked, (_k, v) => {
    if (typeof v === 'string' && v.startsWith('\u0000big:')) {
      const n = BigInt(v.slice(5));
      return Number.isSafeInteger(Number(n)) ? Number(n) : n;
    }
    return v;
  });
}
