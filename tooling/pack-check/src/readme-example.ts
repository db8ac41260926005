/**
 * The first runnable example of a package README: its first ```ts or ```js block not fenced as
 * `fragment` (the convention of the doctest), or undefined when it has none.
 */
export function firstExample(readme: string): string | undefined {
  for (const m of readme.matchAll(/^```(ts|js)([^\n]*)\n([\s\S]*?)^```/gm)) {
    if (m[2]!.trim() !== 'fragment') return m[3]!;
  }
  return undefined;
}

/** The packages an example imports (bare specifiers, no node: builtins), `@aesc/…` ones and others. */
export function importsOf(code: string): { aesc: string[]; thirdParty: string[] } {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:^|\n)\s*import\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = (m[1] ?? m[2])!;
    if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  const all = [...names].sort();
  return { aesc: all.filter((n) => n.startsWith('@aesc/')), thirdParty: all.filter((n) => !n.startsWith('@aesc/')) };
}
