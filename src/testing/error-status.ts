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
  return openaiStatus(error);
}
