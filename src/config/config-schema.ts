import { z } from 'zod';
// Loading the built-in providers here guarantees they are registered before any config is checked.
import '../providers/builtin-providers.js';
import { GEMINI_BLOCK_THRESHOLDS } from '../generation/common-overrides.js';
import { getProviderDefinition, registeredApiTypes } from '../providers/provider-registry.js';
import type { FetchRemoteMediaSetting, Logger, Middleware, TelemetryTracer } from '../spec/index.js';
import { gatewaySchema, gatewayTokenSchema } from './gateway-schema.js';
import { routeSchema, routeTargetSchema } from './route-schema.js';

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** True for an absolute URL with one of `protocols`. */
export function isUrlWith(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.host !== '';
  } catch {
    return false;
  }
}

const httpUrl = (example: string) =>
  z.string().refine((value) => isUrlWith(value.trim(), ['http:', 'https:']), {
    error: `must be an absolute http(s) URL, e.g. ${example}`,
  });

const text = () => z.string().trim().min(1);
const positive = () => z.number().positive();
const count = () => z.number().int().nonnegative();

// Any registered apiType (`registerProvider`): looked up when a config is checked, not when this loads.
const apiType = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') })
  .refine((value) => getProviderDefinition(value) !== undefined, {
    error: (issue) =>
      `unknown API type ${describeValue(issue.input)}; allowed: ${registeredApiTypes().join(', ')}`,
  });

const modality = z.enum(['text', 'image', 'audio', 'video', 'embedding']);

export const capabilitiesSchema = z.strictObject({
  inputModalities: z.array(modality).optional(),
  outputModalities: z.array(modality).optional(),
  toolCalling: z.boolean().optional(),
  embedding: z.boolean().optional(),
  reasoningMode: z.enum(['none', 'budget', 'level', 'effort']).optional(),
  reasoningVisibility: z.enum(['visible', 'hidden', 'none']).optional(),
  jsonSchema: z.boolean().optional(),
  nativeTools: z.boolean().optional(),
  requiresThoughtSignatures: z.boolean().optional(),
});

const price = () =>
  z.number({ error: 'must be a number of USD per million tokens' }).nonnegative().refine(Number.isFinite, {
    error: 'must be a finite number',
  });

export const pricingSchema = z.strictObject({
  inputPerMTok: price(),
  outputPerMTok: price(),
  cachedInputPerMTok: price().optional(),
});

export const modelDetailSchema = z.strictObject(
  {
    name: text(),
    apiType: apiType.optional(),
    endpoint: text()
      .refine((value) => value.startsWith('/') || isUrlWith(value, ['http:', 'https:']), {
        error: 'must be a path starting with "/" (e.g. /v1/chat/completions) or an absolute http(s) URL',
      })
      .optional(),
    embedding: z.boolean().optional(),
    temperature: z.number().min(0).optional(),
    maxTokens: z.number().int().positive().optional(),
    capabilities: capabilitiesSchema.optional(),
    available: z.boolean().optional(),
    unavailableReason: text().optional(),
    contextWindow: z.number().int().positive().optional(),
    pricing: pricingSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be a model name or an object { name, … }' : undefined,
  },
);

// One key string is a list of one; an empty string is an empty list (reported as "no key").
const apiKeys = z.preprocess(
  (value) => (typeof value === 'string' ? (value.trim() === '' ? [] : [value]) : value),
  z
    .array(text(), {
      error: (issue) =>
        issue.input === undefined ? 'required' : 'must be a key string or a list of key strings',
    })
    .min(1, 'at least one key is required'),
);

export const providerSchema = z.strictObject({
  name: text().refine((value) => !value.includes('/'), {
    error: 'must not contain "/" (model names are "Provider/model")',
  }),
  apiType,
  apiKeys,
  models: z
    .array(z.preprocess((value) => (typeof value === 'string' ? { name: value } : value), modelDetailSchema))
    .min(1, 'at least one model is required'),
  apiBase: httpUrl('https://api.openai.com').optional(),
  timeoutMs: positive().optional(),
  proxy: httpUrl('http://127.0.0.1:7890').optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

const KEY_STORE_HINT =
  "must be 'memory', { type: 'memory' }, { type: 'file', path } or { type: 'redis', url, prefix? }";

const keyStore = z.preprocess(
  (value) => (value === 'memory' ? { type: 'memory' } : value),
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('memory') }),
      z.strictObject({ type: z.literal('file'), path: text() }),
      z.strictObject({
        type: z.literal('redis'),
        url: z.string().refine((value) => isUrlWith(value, ['redis:', 'rediss:']), {
          error: 'must be a redis:// or rediss:// URL',
        }),
        prefix: z.string().optional(),
      }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' || issue.code === 'invalid_type' ? KEY_STORE_HINT : undefined,
    },
  ),
);

const logger = z.custom<Logger | false>(
  (value) =>
    value === false ||
    (typeof value === 'object' &&
      value !== null &&
      LOGGER_METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')),
  {
    error: (issue) => {
      const input = issue.input;
      if (typeof input !== 'object' || input === null) {
        return 'must be false or a logger object with debug, info, warn and error functions';
      }
      const missing = LOGGER_METHODS.filter(
        (method) => typeof (input as Record<string, unknown>)[method] !== 'function',
      );
      return `must be false or a logger object; missing function(s): ${missing.join(', ')}`;
    },
  },
);

const debugLog = z.union(
  [
    z.boolean(),
    z.strictObject({
      showTools: z.boolean().optional(),
      showSchema: z.boolean().optional(),
      showSafety: z.boolean().optional(),
    }),
  ],
  { error: 'must be true, false or { showTools?, showSchema?, showSafety? } (booleans)' },
);

export const telemetrySchema = z.strictObject({
  tracer: z
    .custom<TelemetryTracer>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { startSpan?: unknown }).startSpan === 'function',
      { error: 'must be an OpenTelemetry Tracer (an object with startSpan)' },
    )
    .optional(),
  recordContent: z.boolean().optional(),
});

const telemetry = z.union([z.literal(false), telemetrySchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'must be false or { tracer?, recordContent? }' : undefined,
});

const REMOTE_MEDIA_HINT = 'must be true, false or { allowPrivateNetworks?: boolean, maxBytes?: number }';
const remoteMediaOptions = z.strictObject({
  allowPrivateNetworks: z.boolean({ error: 'must be a boolean' }).optional(),
  maxBytes: z
    .number({ error: 'must be a whole number ≥ 1' })
    .int({ error: 'must be a whole number ≥ 1' })
    .min(1, { error: 'must be a whole number ≥ 1' })
    .optional(),
});

// A union would report a bad field of the object form as the whole value being invalid; this names the field.
const fetchRemoteMedia = z.unknown().transform((value, ctx): FetchRemoteMediaSetting => {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.issues.push({ code: 'custom', message: REMOTE_MEDIA_HINT, input: value });
    return z.NEVER;
  }
  const parsed = remoteMediaOptions.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        path: key === undefined ? issue.path : [...issue.path, key],
        message: key === undefined ? issue.message : 'unknown key (known: allowPrivateNetworks, maxBytes)',
      });
    }
  }
  return z.NEVER;
});

export const retrySchema = z.strictObject({
  maxRetries: count().optional(),
  baseDelayMs: z.number().nonnegative().optional(),
  maxDelayMs: z.number().nonnegative().optional(),
});

/** The zod schema of `LLMConfig` (strict: unknown keys are errors at every level). */
export const llmConfigSchema = z.strictObject({
  providers: z.array(providerSchema).min(1, 'at least one provider is required'),
  defaultModel: text().optional(),
  defaultEmbeddingModel: text().optional(),
  timeoutMs: positive().optional(),
  proxy: httpUrl('http://127.0.0.1:7890').optional(),
  retry: retrySchema.optional(),
  structuredRetries: count().optional(),
  maxToolRounds: count().optional(),
  keyStore: keyStore.optional(),
  logger: logger.optional(),
  debugLog: debugLog.optional(),
  locale: z.enum(['en', 'zh']).optional(),
  middlewares: z
    .array(z.custom<Middleware>((value) => typeof value === 'function', { error: 'must be a function' }))
    .optional(),
  maxResponseBytes: z.number().int().positive().optional(),
  fetchRemoteMedia: fetchRemoteMedia.optional(),
  telemetry: telemetry.optional(),
  geminiSafetyThreshold: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
      z.enum(GEMINI_BLOCK_THRESHOLDS),
    )
    .optional(),
  routes: z.array(routeSchema).optional(),
  gateway: gatewaySchema.optional(),
});

/** `LLMConfig` after zod: trimmed strings, one-key strings turned into lists, string models into objects. */
export type ParsedConfig = z.output<typeof llmConfigSchema>;
export type ParsedProvider = z.output<typeof providerSchema>;
export type ParsedModel = z.output<typeof modelDetailSchema>;

/** Allowed keys of each strict object, by generalised path (`providers[].models[]`), for suggestions. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(llmConfigSchema.shape),
  'providers[]': Object.keys(providerSchema.shape),
  'providers[].models[]': Object.keys(modelDetailSchema.shape),
  'providers[].models[].capabilities': Object.keys(capabilitiesSchema.shape),
  'providers[].models[].pricing': Object.keys(pricingSchema.shape),
  telemetry: Object.keys(telemetrySchema.shape),
  retry: Object.keys(retrySchema.shape),
  'routes[]': Object.keys(routeSchema.shape),
  'routes[].targets[]': Object.keys(routeTargetSchema.shape),
  debugLog: ['showTools', 'showSchema', 'showSafety'],
  gateway: Object.keys(gatewaySchema.shape),
  'gateway.tokens[]': Object.keys(gatewayTokenSchema.shape),
};

/** A short, safe rendering of a user value for a message (never used for keys or URLs). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}
