import { z } from 'zod';
import type { ConfigIssue } from '../spec/index.js';

/** Defaults of the `gateway` group (API.md §15). */
export const GATEWAY_DEFAULTS = {
  port: 4000,
  host: '127.0.0.1',
  bodyLimitBytes: 10 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  drainTimeoutMs: 30_000,
} as const;

/** Shortest accepted client token: shorter ones could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

// `${ENV}` references expand to strings: numeric and boolean text is accepted where a number or boolean goes.
const numeric = (value: unknown) =>
  typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
const booleanish = (value: unknown) =>
  typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)
    ? value.trim().toLowerCase() === 'true'
    : value;

const positiveInt = () => z.preprocess(numeric, z.number().int().positive());
const positive = () => z.preprocess(numeric, z.number().positive());
const flag = () => z.preprocess(booleanish, z.boolean());

// ISO 8601: a date (midnight UTC) or a date-time with `Z` or an offset (a zone-less time is ambiguous).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

const expiresAt = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString() : value),
  z.string().refine((value) => ISO_DATE_TIME.test(value.trim()) && !Number.isNaN(Date.parse(value.trim())), {
    error: 'must be an ISO 8601 date-time with a zone, e.g. 2027-01-01T00:00:00Z (or a date, 2027-01-01)',
  }),
);

// Messages never quote the token: it is a secret.
const token = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') })
  .refine((value) => value.trim().length >= MIN_TOKEN_LENGTH, {
    error: `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24)`,
  });

export const gatewayTokenSchema = z.strictObject({
  name: z.string().trim().min(1),
  token,
  models: z.array(z.string().trim().min(1)).optional(),
  rpm: positiveInt().optional(),
  tpm: positiveInt().optional(),
  maxConcurrent: positiveInt().optional(),
  budgetUsdPerDay: positive().optional(),
  expiresAt: expiresAt.optional(),
});

/** The zod schema of `LLMConfig.gateway` (strict: unknown keys are errors). */
export const gatewaySchema = z.strictObject({
  port: z.preprocess(numeric, z.number().int().min(0).max(65_535)).optional(),
  host: z.string().trim().min(1).optional(),
  tokens: z.array(gatewayTokenSchema).optional(),
  bodyLimitBytes: positiveInt().optional(),
  requestTimeoutMs: positive().optional(),
  allowUnauthenticatedLoopback: flag().optional(),
  headersTimeoutMs: positive().optional(),
  bodyTimeoutMs: positive().optional(),
  drainTimeoutMs: z.preprocess(numeric, z.number().nonnegative()).optional(),
  accessLog: flag().optional(),
});

export type ParsedGateway = z.output<typeof gatewaySchema>;

/**
 * Checks across tokens, on the raw input (so they are reported with the schema's issues, whatever else is
 * wrong): names unique (case-insensitive), each token used once. Messages never quote a token.
 */
export function gatewayIssues(raw: unknown): ConfigIssue[] {
  const group = raw as { tokens?: unknown } | null | undefined;
  if (typeof group !== 'object' || group == null || !Array.isArray(group.tokens)) return [];
  const issues: ConfigIssue[] = [];
  const names = new Map<string, number>();
  const values = new Map<string, number>();
  group.tokens.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry == null) return;
    const { name, token } = entry as { name?: unknown; token?: unknown };
    if (typeof name === 'string' && name.trim() !== '') {
      const first = names.get(name.trim().toLowerCase());
      if (first !== undefined) {
        issues.push({
          path: `gateway.tokens[${index}].name`,
          message: `duplicate token name "${name.trim()}" (also tokens[${first}]; names are case-insensitive)`,
        });
      } else names.set(name.trim().toLowerCase(), index);
    }
    if (typeof token === 'string' && token.trim() !== '') {
      const first = values.get(token.trim());
      if (first !== undefined) {
        issues.push({
          path: `gateway.tokens[${index}].token`,
          message: `the same token as tokens[${first}] (each client needs its own)`,
        });
      } else values.set(token.trim(), index);
    }
  });
  return issues;
}
