import type { LLMErrorCode, ProviderErrorClassifier } from '../spec/index.js';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import { bodyPreview } from './body-preview.js';
import { isLLMErrorCode } from './error-codes.js';
import type { NetworkCause } from './friendly-messages.js';
import { LLMError } from './llm-error.js';
import { retryAfterFromHeaders, retryAfterFromMessage, retryAfterFromRetryInfo } from './retry-hints.js';

/** What went wrong with one provider call, as the transport saw it. */
export interface ProviderFailure {
  /** HTTP status, when a response arrived (or the numeric `code` of an error object inside a 200 body). */
  status?: number;
  /** Response headers, names lower-cased. */
  headers?: Record<string, string>;
  /** Raw body text or already-parsed JSON. */
  body?: unknown;
  /** The thrown network error, when no response arrived. */
  cause?: unknown;
  /** Why the request was aborted, when it was. */
  aborted?: 'caller' | 'deadline';
  /** The failure is an error object inside an HTTP 200 body or stream (API.md §4 last rows). */
  inBody?: boolean;
  /** The provider definition's own reading, consulted before the generic rules (`PipelineRequest.classifyError`). */
  classify?: ProviderErrorClassifier;
}

/** The classification of a failure (API.md §4), plus what the key pool and retry need. */
export interface ProviderErrorInfo {
  code: LLMErrorCode;
  /** The provider's message (or a description of the network failure). */
  message: string;
  /** Server hint: `retry-after-ms`, `retry-after`, Gemini `RetryInfo`, "Please retry in 36.4s". */
  retryAfterMs?: number;
  /** Provider error code or status (`invalid_api_key`, `RESOURCE_EXHAUSTED`, `API_KEY_INVALID`, …). */
  providerCode?: string;
  /** For network failures: the likely cause. */
  networkCause?: NetworkCause;
  /** For quota/rate errors with a structured quota id: which window ran out. */
  quotaWindow?: 'minute' | 'day';
}

/** The parts of a provider error body the classifier reads (OpenAI, Gemini, OpenRouter, DeepSeek shapes). */
interface ErrorFacts {
  message: string;
  /** `error.code` (string) / `error.status` (Gemini) / `error.type` and ErrorInfo reasons, upper-cased, for matching. */
  tags: string[];
  /** Numeric `error.code` (Gemini, OpenRouter). */
  numericCode?: number;
  details?: unknown;
  /** QuotaFailure quota ids and ErrorInfo quota limits, for per-minute vs per-day. */
  quotaIds: string[];
  providerCode?: string;
}

const KEY_INVALID_TAGS = ['API_KEY_INVALID', 'INVALID_API_KEY', 'AUTHENTICATION_FAILED'];
const KEY_INVALID_TEXT =
  /api key not valid|invalid api key|incorrect api key|api key is invalid|invalid x-api-key/i;
const LOCATION_TEXT =
  /location is not supported|unsupported[_ ]country|country, region, or territory|not available in your (?:country|region)/i;
const REGION_WORDS = /\b(?:country|region|territory|unsupported location)\b/i;
const CONTEXT_TEXT =
  /maximum context length|context[_ ]length[_ ]exceeded|context window|too many tokens in the (?:prompt|input)|prompt is too long|input is too long|exceeds the maximum number of tokens/i;
const QUOTA_TEXT =
  /insufficient[_ ]quota|exceeded your current quota|billing|credit balance|out of credits|plan (?:limit|exhausted)|per[ _-]?day|daily (?:limit|quota)/i;
const CREDIT_TEXT = /credit balance is too low/i;
const RATE_TEXT = /rate[_ ]limit|per[ _-]?minute|too many requests|\bRPM\b|\bTPM\b/i;

/** Reads an `{ error: … }` object (or a Gemini `[{ error }]` array) out of a body; undefined when there is none. */
function readErrorFacts(body: unknown): ErrorFacts | undefined {
  let value = body;
  if (typeof value === 'string') {
    const parsed = safeParseJson(value.trim());
    if (!parsed.ok) return undefined;
    value = parsed.value;
  }
  if (Array.isArray(value)) value = value.find((item) => isRecord(item) && item.error != null);
  if (!isRecord(value) || value.error == null) return undefined;
  const error = value.error;
  if (typeof error === 'string') return { message: error, tags: [error.toUpperCase()], quotaIds: [] };
  if (!isRecord(error)) return undefined;

  const tags: string[] = [];
  const quotaIds: string[] = [];
  let providerCode: string | undefined;
  for (const field of ['code', 'status', 'type'] as const) {
    const tag = error[field];
    if (typeof tag === 'string' && tag !== '') {
      tags.push(tag.toUpperCase());
      providerCode ??= tag;
    }
  }
  if (Array.isArray(error.details)) {
    for (const detail of error.details) {
      if (!isRecord(detail)) continue;
      if (typeof detail.reason === 'string') {
        tags.push(detail.reason.toUpperCase());
        if (detail.reason === 'API_KEY_INVALID' || detail.reason === 'SERVICE_DISABLED')
          providerCode = detail.reason;
      }
      if (isRecord(detail.metadata) && typeof detail.metadata.quota_limit === 'string') {
        quotaIds.push(detail.metadata.quota_limit);
      }
      if (Array.isArray(detail.violations)) {
        for (const violation of detail.violations) {
          if (!isRecord(violation)) continue;
          if (typeof violation.quotaId === 'string') quotaIds.push(violation.quotaId);
          else if (typeof violation.quotaMetric === 'string') quotaIds.push(violation.quotaMetric);
        }
      }
    }
  }
  const parts: string[] = [];
  if (typeof error.message === 'string') parts.push(error.message);
  // OpenRouter puts the upstream provider's words in metadata.raw.
  if (isRecord(error.metadata) && typeof error.metadata.raw === 'string') parts.push(error.metadata.raw);
  const facts: ErrorFacts = { message: parts.join(' — ') || 'Unknown provider error', tags, quotaIds };
  if (typeof error.code === 'number') facts.numericCode = error.code;
  if (error.details != null) facts.details = error.details;
  if (providerCode != null) facts.providerCode = providerCode;
  return facts;
}

function quotaWindowOf(quotaIds: string[]): 'minute' | 'day' | undefined {
  if (quotaIds.some((id) => /per ?day|daily/i.test(id))) return 'day';
  if (quotaIds.some((id) => /per ?minute|per ?second/i.test(id))) return 'minute';
  return undefined;
}

/** Walks an error's `cause` chain (and AggregateError members) for a Node/undici error code. */
function networkFacts(cause: unknown): { code?: string; message: string } {
  const seen = new Set<unknown>();
  const messages: string[] = [];
  let code: string | undefined;
  const visit = (value: unknown, depth: number): void => {
    if (value == null || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    const record = value as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && code == null) code = record.code;
    if (typeof record.message === 'string' && record.message !== '') messages.push(record.message);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner, depth + 1);
    visit(record.cause, depth + 1);
  };
  visit(cause, 0);
  if (messages.length === 0 && cause != null) messages.push(String(cause));
  return code != null ? { code, message: messages.join(': ') } : { message: messages.join(': ') };
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);

function networkCauseOf(code: string | undefined, message: string): NetworkCause {
  if (/proxy/i.test(message) || code === 'UND_ERR_PROXY') return 'proxy';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    default:
      if (code != null && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return 'tls';
      if (/certificate|ssl|tls/i.test(message)) return 'tls';
      return 'other';
  }
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return bodyPreview(body.trim(), 500);
  if (body == null) return '';
  try {
    return bodyPreview(JSON.stringify(body), 500);
  } catch {
    return '';
  }
}

/**
 * Implements the classification table of API.md §4 (first match wins) for HTTP failures, error
 * objects inside 200 bodies, network failures and aborts. Pure; `now` only resolves HTTP-date hints.
 */
export function classifyProviderError(failure: ProviderFailure, now: number = Date.now()): ProviderErrorInfo {
  if (failure.aborted === 'caller')
    return { code: 'ABORTED', message: 'The request was aborted by the caller.' };
  if (failure.aborted === 'deadline') {
    return { code: 'API_TIMEOUT', message: 'The request did not complete before its deadline.' };
  }
  if (failure.status == null && !failure.inBody) {
    const { code, message } = networkFacts(failure.cause);
    if (code != null && TIMEOUT_CODES.has(code)) {
      return {
        code: 'API_TIMEOUT',
        message: `Connection timed out (${code}): ${message}`,
        networkCause: 'timeout',
      };
    }
    const networkCause = networkCauseOf(code, message);
    return {
      code: 'API_REQUEST_FAILED',
      message: `Network error${code != null ? ` (${code})` : ''}: ${message || 'request failed'}`,
      networkCause,
    };
  }

  const facts = readErrorFacts(failure.body);
  const status = failure.status ?? facts?.numericCode;
  const message = facts?.message ?? (bodyText(failure.body) || `HTTP ${status ?? 'error'}`);
  const tags = facts?.tags ?? [];
  const hasTag = (...candidates: string[]) => candidates.some((tag) => tags.includes(tag));
  const searchable = `${message} ${tags.join(' ')}`;
  const info = (code: LLMErrorCode): ProviderErrorInfo => {
    const result: ProviderErrorInfo = { code, message };
    if (facts?.providerCode != null) result.providerCode = facts.providerCode;
    const hint =
      retryAfterFromHeaders(failure.headers, now) ??
      retryAfterFromRetryInfo(facts?.details) ??
      retryAfterFromMessage(message);
    if (hint != null) result.retryAfterMs = hint;
    const window = quotaWindowOf(facts?.quotaIds ?? []);
    if (window != null) result.quotaWindow = window;
    return result;
  };

  const hinted =
    failure.classify != null ? providerHint(failure, status, message, facts?.providerCode) : undefined;
  if (hinted !== undefined) return info(hinted);

  const authish = status === 400 || status === 401 || status === 403;
  if (authish && (hasTag(...KEY_INVALID_TAGS) || KEY_INVALID_TEXT.test(message)))
    return info('API_KEY_INVALID');
  if (
    (status === 400 && (hasTag('FAILED_PRECONDITION') || LOCATION_TEXT.test(message))) ||
    ((status === 401 || status === 403) && (REGION_WORDS.test(message) || LOCATION_TEXT.test(searchable)))
  ) {
    return info('USER_LOCATION_NOT_SUPPORTED');
  }
  if (status === 401 || status === 403) return info('API_KEY_INVALID');
  if (status === 413 || hasTag('CONTEXT_LENGTH_EXCEEDED') || CONTEXT_TEXT.test(message)) {
    return info('CONTEXT_LENGTH_EXCEEDED');
  }
  // API.md §4: billing and credit failures are quota at any status (Anthropic sends them as 400s).
  if (hasTag('BILLING_ERROR', 'INSUFFICIENT_QUOTA') || CREDIT_TEXT.test(message))
    return info('API_QUOTA_EXCEEDED');
  if (status === 400 || status === 422) return info('INVALID_PARAMETER');
  if (status === 404 || hasTag('MODEL_NOT_FOUND', 'NOT_FOUND')) return info('MODEL_NOT_FOUND');
  if (status === 402 || status === 429 || hasTag('RESOURCE_EXHAUSTED', 'RATE_LIMIT_EXCEEDED')) {
    const window = quotaWindowOf(facts?.quotaIds ?? []);
    // Structured quota ids decide first: Gemini sends the same "check your plan and billing" text for
    // per-minute limits as OpenAI does for an exhausted balance.
    if (window === 'day') return info('API_QUOTA_EXCEEDED');
    if (window === 'minute') return info('API_RATE_LIMITED');
    if (status === 402 || hasTag('INSUFFICIENT_QUOTA') || QUOTA_TEXT.test(message)) {
      return info('API_QUOTA_EXCEEDED');
    }
    if (status === 429 || RATE_TEXT.test(searchable) || hasTag('RATE_LIMIT_EXCEEDED', 'RESOURCE_EXHAUSTED')) {
      return info('API_RATE_LIMITED');
    }
  }
  if (status === 408) return info('API_TIMEOUT');
  if (status != null && status >= 500 && status < 600) return info('API_SERVER_ERROR');
  if (status != null && status >= 400 && status < 500 && status !== 499) return info('INVALID_PARAMETER');
  return info('API_RESPONSE_INVALID');
}

/** The definition's verdict; a throwing or nonsensical hint leaves the failure to the generic rules. */
function providerHint(
  failure: ProviderFailure,
  status: number | undefined,
  message: string,
  providerCode: string | undefined,
): LLMErrorCode | undefined {
  let code: unknown;
  try {
    code = failure.classify?.({
      ...(status != null ? { status } : {}),
      headers: failure.headers ?? {},
      ...(failure.body !== undefined ? { body: failure.body } : {}),
      message,
      ...(providerCode != null ? { providerCode } : {}),
    });
  } catch {
    return undefined;
  }
  return isLLMErrorCode(code) ? code : undefined;
}

/**
 * The error object inside a 2xx body or stream event (`{ error: … }`), classified; undefined when the
 * body carries none. Dialects call this from `checkBody` and their stream parsers.
 */
export function errorFromBody(body: unknown): ProviderErrorInfo | undefined {
  const facts = readErrorFacts(body);
  if (facts == null) return undefined;
  return classifyProviderError({ body, inBody: true });
}

/** Context attached to the `LLMError` built from a failure. */
export interface ProviderErrorContext {
  provider?: string;
  model?: string;
  keyId?: string;
  now?: number;
}

/** Classifies a failure and builds the `LLMError` to throw (message and details scrubbed of keys). */
export function providerErrorToLLMError(
  failure: ProviderFailure,
  context: ProviderErrorContext = {},
): LLMError {
  const info = classifyProviderError(failure, context.now);
  return llmErrorFromInfo(info, failure, context);
}

/** Builds the `LLMError` for an already-classified failure. */
export function llmErrorFromInfo(
  info: ProviderErrorInfo,
  failure: Pick<ProviderFailure, 'status' | 'cause'> = {},
  context: ProviderErrorContext = {},
): LLMError {
  const where = context.model ?? context.provider;
  const prefix =
    failure.status != null
      ? `${where != null ? `${where}: ` : ''}HTTP ${failure.status}: `
      : where != null
        ? `${where}: `
        : '';
  const details: Record<string, unknown> = {};
  if (info.providerCode != null) details.providerCode = info.providerCode;
  if (info.quotaWindow != null) details.quotaWindow = info.quotaWindow;
  return new LLMError(info.code, prefix + info.message, {
    ...(failure.status != null ? { status: failure.status } : {}),
    ...(context.provider != null ? { provider: context.provider } : {}),
    ...(context.model != null ? { model: context.model } : {}),
    ...(context.keyId != null ? { keyId: context.keyId } : {}),
    ...(info.retryAfterMs != null ? { retryAfterMs: info.retryAfterMs } : {}),
    ...(info.networkCause != null ? { networkCause: info.networkCause } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
    ...(failure.cause !== undefined ? { cause: failure.cause } : {}),
  });
}
