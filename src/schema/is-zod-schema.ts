import type { $ZodType } from 'zod/v4/core';

/**
 * True for a zod v4 schema (classic `zod` or `zod/mini`), recognised structurally by its `_zod.def`
 * so no zod code is loaded to answer.
 */
export function isZodSchema(value: unknown): value is $ZodType {
  if (typeof value !== 'object' || value === null) return false;
  const internals = (value as { _zod?: unknown })._zod;
  return typeof internals === 'object' && internals !== null && 'def' in internals;
}

/** True for a zod v3 schema (`_def` and `safeParse`, no `_zod`), which `toJsonSchema` cannot convert. */
export function isZodV3Schema(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || isZodSchema(value)) return false;
  const candidate = value as { _def?: unknown; safeParse?: unknown };
  return (
    typeof candidate._def === 'object' && candidate._def !== null && typeof candidate.safeParse === 'function'
  );
}
