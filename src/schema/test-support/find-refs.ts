/** Paths of every `$ref`, `$defs` or `definitions` key anywhere in `value` (tests: "no ref left"). */
export function findRefs(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findRefs(item, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' || key === '$defs' || key === 'definitions') found.push(`${path}.${key}`);
    found.push(...findRefs(child, `${path}.${key}`));
  }
  return found;
}
