import { z } from 'zod';
import { LLM_ERROR_CODES } from '../errors/error-codes.js';
import type { LLMErrorCode, RouteStrategy } from '../spec/index.js';

/** The strategies of API.md §14, in the order the docs list them. */
export const ROUTE_STRATEGIES = [
  'fallback',
  'round_robin',
  'weighted',
  'least_busy',
  'latency',
] as const satisfies readonly RouteStrategy[];

/** `fallbackOn` of a route that sets none, and of every ad-hoc `model: [...]` chain (API.md §14). */
export const DEFAULT_FALLBACK_ON = [
  'API_SERVER_ERROR',
  'API_TIMEOUT',
  'API_RATE_LIMITED',
  'NO_AVAILABLE_KEYS',
  'API_QUOTA_EXCEEDED',
  'API_KEY_INVALID',
  'API_REQUEST_FAILED',
  'CONTEXT_LENGTH_EXCEEDED',
  'CONTENT_FILTERED',
] as const satisfies readonly LLMErrorCode[];

const TARGET_HINT = 'must be "Provider/model" or an object { model, weight?, config? }';

/** One target: a `"Provider/model"` string is short for `{ model }`. Existence and kinds are `route-checks.ts`'. */
export const routeTargetSchema = z.strictObject(
  {
    model: z.string().trim().min(1),
    weight: z.number().positive().optional(),
    // Checked by `route-checks.ts` as a generation (or embedding) config, with paths inside it.
    config: z.unknown().optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? TARGET_HINT : undefined) },
);

const fallbackCode = z.enum(LLM_ERROR_CODES).refine((code) => code !== 'ABORTED', {
  error: "ABORTED (the caller's own abort) never falls back; remove it",
});

/** One entry of `routes` (API.md §14). */
export const routeSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .refine((value) => !value.includes('/'), {
      error: 'must not contain "/" (a name with "/" reads as "Provider/model")',
    }),
  strategy: z.enum(ROUTE_STRATEGIES).optional(),
  targets: z
    .array(z.preprocess((value) => (typeof value === 'string' ? { model: value } : value), routeTargetSchema))
    .min(1, 'at least one target is required'),
  fallbackOn: z.array(fallbackCode).optional(),
});

export type ParsedRoute = z.output<typeof routeSchema>;
