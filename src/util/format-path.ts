/**
 * A value path as it appears in error messages: `['providers', 1, 'apiType']` → `providers[1].apiType`.
 * Used by configuration and tool-argument issues (structured output quotes odd keys: see `structured/format-issues.ts`).
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
