import { isRecord, safeParseJson } from '../util/safe-json.js';

const GOOGLE_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  DATA_LOSS: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** Anthropic error types and the statuses the API sends them with. */
const ANTHROPIC_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

function openaiStatus(error: Record<string, unknown>): number {
  const words = [error.code, error.type].filter((value): value is string => typeof value === 'string');
  const has = (...names: string[]) => words.some((word) => names.includes(word));
  if (has('invalid_api_key', 'authentication_error')) return 401;
  if (has('model_not_found', 'not_found_error', 'unknown_url')) return 404;
  if (has('rate_limit_exceeded', 'insufficient_quota', 'tokens', 'requests', 'rate_limit_error')) return 429;
  if (has('server_error', 'api_error')) return 500;
  return 400;
}

/**
 * The HTTP status a recorded error body implies: Gemini's numeric `error.code` (or its `status` name),
 * Anthropic's `{ type: 'error', error: { type } }` by the documented table (`overloaded_error` → 529, …),
 * for OpenAI-style bodies 401/404/429/500 from the error code or type, else 400; `200` when the body is not
 * an error object. Gemini's OpenAI endpoint wraps errors in an array; the first element is used.
 */
export function statusFromErrorBody(text: string): number {
  const parsed = safeParseJson(text);
  if (!parsed.ok) return 200;
  const root = Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
  const error = isRecord(root) ? root.error : undefined;
  if (!isRecord(error)) return 200;
  if (typeof error.code === 'number' && error.code >= 100 && error.code <= 599) return error.code;
  if (typeof error.status === 'string' && GOOGLE_STATUS[error.status] != null)
    return GOOGLE_STATUS[error.status]!;
  if (isRecord(root) && root.type === 'error' && typeof error.type === 'string') {
    const status = ANTHROPIC_STATUS[error.type];
    if (status != null) return status;
  }
  return openaiStatus(error);
}
