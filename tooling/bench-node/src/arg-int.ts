/** `--name N` from the command line (a positive integer), or `fallback` when absent. */
export function argInt(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} N: a positive integer`);
  return v;
}
