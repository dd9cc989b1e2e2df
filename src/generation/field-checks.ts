import { LLMError } from '../errors/llm-error.js';
import { isPlainObject } from '../schema/copy-plain.js';
import type { ConfigIssue } from '../spec/index.js';

export type { ConfigIssue };

/**
 * Checks one field: pushes issues, returns the value to keep (the same value, or a normalised one such as
 * `'HIGH'` → `'high'`). Only called for values that are not `undefined`/`null`.
 */
export type FieldCheck = (value: unknown, path: string, issues: ConfigIssue[]) => unknown;

/** Throws one `INVALID_PARAMETER` listing every issue; does nothing when there are none. */
export function failOnIssues(issues: readonly ConfigIssue[], what: string): void {
  if (issues.length === 0) return;
  const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new LLMError('INVALID_PARAMETER', `Invalid ${what}: ${list}`, {
    details: { issues: issues.map((issue) => ({ ...issue })) },
  });
}

/** A finite number within [min, max] (bounds optional), optionally an integer or strictly above `min`. */
export function numberIn(
  range: { min?: number; max?: number; integer?: boolean; aboveMin?: boolean },
  message: string,
): FieldCheck {
  const { min, max, integer = false, aboveMin = false } = range;
  return (value, path, issues) => {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!integer || Number.isSafeInteger(value)) &&
      (min === undefined || (aboveMin ? value > min : value >= min)) &&
      (max === undefined || value <= max);
    if (!ok) issues.push({ path, message: `${message} (got ${describe(value)})` });
    return value;
  };
}

/**
 * One of `allowed`, compared case-insensitively and returned in its canonical casing; `aliases` map other
 * spellings (lower case) to a canonical value.
 */
export function oneOf<T extends string>(allowed: readonly T[], aliases: Record<string, T> = {}): FieldCheck {
  const byLower = new Map<string, T>(allowed.map((v) => [v.toLowerCase(), v]));
  for (const [alias, target] of Object.entries(aliases)) byLower.set(alias, target);
  return (value, path, issues) => {
    const canonical = typeof value === 'string' ? byLower.get(value.toLowerCase()) : undefined;
    if (canonical === undefined) {
      issues.push({ path, message: `must be one of ${allowed.join(', ')} (got ${describe(value)})` });
      return value;
    }
    return canonical;
  };
}

export const nonEmptyString: FieldCheck = (value, path, issues) => {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ path, message: `must be a non-empty string (got ${describe(value)})` });
  }
  return value;
};

export const booleanField: FieldCheck = (value, path, issues) => {
  if (typeof value !== 'boolean')
    issues.push({ path, message: `must be true or false (got ${describe(value)})` });
  return value;
};

export const plainObject: FieldCheck = (value, path, issues) => {
  if (!isPlainObject(value)) issues.push({ path, message: `must be an object (got ${describe(value)})` });
  return value;
};

/** An array whose items pass `item`; returns a new array only when an item was normalised. */
export function arrayOf(item: FieldCheck, { minLength = 0 } = {}): FieldCheck {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `must be an array (got ${describe(value)})` });
      return value;
    }
    if (value.length < minLength) {
      issues.push({ path, message: `must have at least ${minLength} item${minLength === 1 ? '' : 's'}` });
    }
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const normalised = item(value[i], `${path}[${i}]`, issues);
      if (normalised !== value[i]) {
        out ??= value.slice();
        out[i] = normalised;
      }
    }
    return out ?? value;
  };
}

/**
 * Checks an object against a table of field checks: unknown fields are issues (with a camelCase hint for
 * snake_case names), `undefined`/`null` fields are skipped. Returns the object itself when nothing was
 * normalised, else a shallow copy with the normalised fields (the input is never mutated).
 */
export function checkFields(
  value: unknown,
  fields: Readonly<Record<string, FieldCheck>>,
  path: string,
  issues: ConfigIssue[],
  unknownLabel = 'field',
): unknown {
  if (!isPlainObject(value)) {
    issues.push({ path, message: `must be an object (got ${describe(value)})` });
    return value;
  }
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const check = Object.hasOwn(fields, key) ? fields[key] : undefined;
    const at = `${path}.${key}`;
    if (check === undefined) {
      issues.push({ path: at, message: unknownMessage(key, Object.keys(fields), unknownLabel) });
      continue;
    }
    const field = value[key];
    if (field == null) continue;
    const normalised = check(field, at, issues);
    if (normalised !== field) {
      out ??= { ...value };
      out[key] = normalised;
    }
  }
  return out ?? value;
}

function unknownMessage(key: string, known: readonly string[], label: string): string {
  const camel = key.toLowerCase().replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const hint = known.find((name) => name.toLowerCase() === camel.toLowerCase());
  return hint !== undefined && hint !== key
    ? `unknown ${label}; did you mean ${hint}?`
    : `unknown ${label} (expected ${known.join(', ')})`;
}

/** A short, safe rendering of a bad value for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 37)}...'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
