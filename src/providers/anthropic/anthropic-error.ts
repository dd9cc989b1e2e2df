import {
  llmErrorFromInfo,
  type ProviderErrorInfo,
  type ProviderFailure,
} from '../../errors/classify-provider-error.js';
import { invalidResponseError, modelErrorContext } from '../../errors/invalid-response.js';
import { LLMError } from '../../errors/llm-error.js';
import { retryAfterFromHeaders } from '../../errors/retry-hints.js';
import type { LLMErrorCode, ProviderModel } from '../../spec/index.js';
import { isRecord, safeParseJson } from '../../util/safe-json.js';

/** Where an error was found, for the message and the `LLMError` context. */
export interface AnthropicErrorContext {
  model?: Pick<ProviderModel, 'fullName' | 'provider'>;
}

const CONTEXT_TEXT = /prompt is too long|input is too long|context window|too many tokens/i;
const CREDIT_TEXT = /credit balance|billing/i;

/** `{ type: 'error', error: { type, message } }` (also without the outer `type`), parsed from text when needed. */
function readAnthropicError(body: unknown): { type: string; message: string } | undefined {
  let value = body;
  if (typeof value === 'string') {
    const parsed = safeParseJson(value.trim());
    if (!parsed.ok) return undefined;
    value = parsed.value;
  }
  if (!isRecord(value) || !isRecord(value.error)) return undefined;
  const { type, message } = value.error;
  if (typeof type !== 'string') return undefined;
  return { type, message: typeof message === 'string' && message !== '' ? message : type };
}

/**
 * Classifies an Anthropic error envelope by API.md §13 (first match wins): `authentication_error` /
 * `permission_error` → `API_KEY_INVALID`; `not_found_error` → `MODEL_NOT_FOUND`; "prompt is too long",
 * `request_too_large` or HTTP 413 → `CONTEXT_LENGTH_EXCEEDED`; `billing_error` or "credit balance" →
 * `API_QUOTA_EXCEEDED`; `rate_limit_error` → `API_RATE_LIMITED` (hint from `retry-after`); `overloaded_error`
 * (HTTP 529), `api_error` and `timeout_error` → `API_SERVER_ERROR`; other `invalid_request_error` →
 * `INVALID_PARAMETER`. The same codes apply to an error event inside a 200 stream. Returns `undefined` for a body
 * that is not an Anthropic error (the generic classifier of API.md §4 then decides) and for aborts and network
 * failures.
 */
export function classifyAnthropicError(
  failure: ProviderFailure,
  now: number = Date.now(),
): ProviderErrorInfo | undefined {
  if (failure.aborted != null || (failure.status == null && failure.inBody !== true)) return undefined;
  const error = readAnthropicError(failure.body);
  if (error == null) return undefined;
  const code = codeOf(error, failure.status);
  if (code == null) return undefined;
  const info: ProviderErrorInfo = { code, message: error.message, providerCode: error.type };
  const hint = retryAfterFromHeaders(failure.headers, now);
  if (hint != null) info.retryAfterMs = hint;
  return info;
}

function codeOf(
  error: { type: string; message: string },
  status: number | undefined,
): LLMErrorCode | undefined {
  switch (error.type) {
    case 'authentication_error':
    case 'permission_error':
      return 'API_KEY_INVALID';
    case 'not_found_error':
      return 'MODEL_NOT_FOUND';
    case 'request_too_large':
      return 'CONTEXT_LENGTH_EXCEEDED';
    case 'billing_error':
      return 'API_QUOTA_EXCEEDED';
    case 'rate_limit_error':
      return CREDIT_TEXT.test(error.message) ? 'API_QUOTA_EXCEEDED' : 'API_RATE_LIMITED';
    case 'overloaded_error':
    case 'api_error':
    case 'timeout_error':
      return 'API_SERVER_ERROR';
    case 'invalid_request_error':
      if (status === 413 || CONTEXT_TEXT.test(error.message)) return 'CONTEXT_LENGTH_EXCEEDED';
      if (CREDIT_TEXT.test(error.message)) return 'API_QUOTA_EXCEEDED';
      return 'INVALID_PARAMETER';
    default:
      if (status === 413) return 'CONTEXT_LENGTH_EXCEEDED';
      if (status === 529) return 'API_SERVER_ERROR';
      return undefined;
  }
}

/** The `LLMError` for an Anthropic error object inside a 200 body or stream; undefined when `body` holds none. */
export function anthropicBodyError(body: unknown, context: AnthropicErrorContext = {}): LLMError | undefined {
  const info = classifyAnthropicError({ body, inBody: true });
  return info == null ? undefined : llmErrorFromInfo(info, {}, modelErrorContext(context.model));
}

/** An answer that is not what the API documents (a malformed event, a cut stream). */
export function invalidResponse(
  message: string,
  context: AnthropicErrorContext = {},
  details?: Record<string, unknown>,
): LLMError {
  return invalidResponseError(message, context.model, details);
}

/** `stop_reason: "refusal"`: the model declined (API.md §13 → `CONTENT_FILTERED`). */
export function refusalError(context: AnthropicErrorContext, details: Record<string, unknown>): LLMError {
  const where = context.model?.fullName;
  const explanation = isRecord(details.stopDetails) ? details.stopDetails.explanation : undefined;
  const reason = typeof explanation === 'string' ? `: ${explanation}` : '';
  const message = `The model refused to answer${reason}`;
  return new LLMError('CONTENT_FILTERED', where != null ? `${where}: ${message}` : message, {
    ...modelErrorContext(context.model),
    details,
  });
}
