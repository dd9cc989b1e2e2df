import type { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { ConfigIssue } from '../spec/index.js';
import { formatPath } from '../util/format-path.js';
import { KNOWN_KEYS } from './config-schema.js';
import { ownValue } from './own-keys.js';

export type { ConfigIssue };
export { formatPath };

/** Per-parse zod error map: short, value-free messages (a config value may be a key). */
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'required';
      if (issue.expected === 'int') return 'must be an integer';
      return `must be ${withArticle(issue.expected)} (got ${typeOf(issue.input)})`;
    }
    case 'too_small': {
      if (issue.origin === 'string' || issue.origin === 'array') return 'must not be empty';
      if (issue.minimum === 0) return issue.inclusive ? 'must not be negative' : 'must be positive';
      return `must be at least ${String(issue.minimum)}`;
    }
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'has an invalid value';
    default:
      return undefined;
  }
}

/** zod issues → `ConfigIssue`s; unknown keys become one issue each, with a suggestion when one is close. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = ownValue(KNOWN_KEYS, genericPath(issue.path)) ?? [];
      for (const key of issue.keys) {
        const suggestion = suggestKey(key, known);
        out.push({
          path: formatPath([...issue.path, key]),
          message: `unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        });
      }
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

/** The closest allowed key: same letters ignoring case and `_`/`-`, a prefix or suffix, or one or two edits away. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const norm = (value: string) => value.replace(/[_-]/g, '').toLowerCase();
  const wanted = norm(key);
  let best: { key: string; score: number } | undefined;
  for (const candidate of known) {
    const have = norm(candidate);
    const partial =
      Math.min(have.length, wanted.length) >= 4 &&
      (have.startsWith(wanted) || wanted.startsWith(have) || have.endsWith(wanted));
    const distance = editDistance(have, wanted);
    const score = have === wanted ? 0 : partial ? 1 : distance + 1;
    const limit = wanted.length <= 4 ? 2 : 3;
    if (score <= limit && (best === undefined || score < best.score)) best = { key: candidate, score };
  }
  return best?.key;
}

/** One `CONFIGURATION_ERROR` listing every issue, one per line. */
export function configurationError(
  issues: readonly ConfigIssue[],
  title = 'Invalid configuration',
): LLMError {
  const lines = issues.map((issue) => `${issue.path === '' ? '(config)' : issue.path}: ${issue.message}`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new LLMError('CONFIGURATION_ERROR', `${title} (${count}):\n${lines.join('\n')}`, {
    details: { issues: issues.map((issue) => ({ path: issue.path, message: issue.message })) },
  });
}

function genericPath(path: readonly PropertyKey[]): string {
  return formatPath(path.map((segment) => (typeof segment === 'number' ? -1 : segment))).replace(
    /\[-1\]/g,
    '[]',
  );
}

function withArticle(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
