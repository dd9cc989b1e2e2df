import type { $ZodIssue } from 'zod/v4/core';
import type { StructuredIssue } from './structured-types.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Issues listed in one re-ask message; the rest are counted. */
const MAX_LISTED = 20;

/**
 * A value path as people write it: `items[0].qty`, `meta["content-type"]`; `''` for the root.
 *
 * @example formatPath(['items', 0, 'qty']) // → 'items[0].qty'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      continue;
    }
    const key = typeof segment === 'symbol' ? (segment.description ?? '') : segment;
    if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** zod issues → `{ path, message }`, paths prefixed with `prefix` (the keys the model's answer wraps the value in). */
export function issuesFromZod(
  issues: readonly $ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): StructuredIssue[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/**
 * The issues as re-ask text, one per line (`- items[0].qty: Invalid input: expected number, received string`),
 * at most 20 listed.
 */
export function renderIssues(issues: readonly StructuredIssue[]): string {
  const lines = issues
    .slice(0, MAX_LISTED)
    .map((issue) => `- ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
  if (issues.length > MAX_LISTED) lines.push(`- … and ${issues.length - MAX_LISTED} more`);
  return lines.join('\n');
}
