import { LLMError } from '../errors/llm-error.js';
import type { LLMErrorCode } from '../spec/index.js';
import { GatewayError } from './gateway-error.js';

interface Mapping {
  status: number;
  type: string;
  code: string;
}

/**
 * API.md §15's status table: 400 invalid, 404 model, 429 rate/quota/no keys, 502 upstream invalid or failed,
 * 504 upstream timeout; `type`/`code` as OpenAI spells them where OpenAI has one. 499 (client gone) is only
 * ever logged: nobody is left to read it.
 */
export function mappingOf(code: LLMErrorCode): Mapping {
  switch (code) {
    case 'INVALID_PARAMETER':
      return { status: 400, type: 'invalid_request_error', code: 'invalid_value' };
    case 'CONTEXT_LENGTH_EXCEEDED':
      return { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' };
    case 'CONTENT_FILTERED':
      return { status: 400, type: 'invalid_request_error', code: 'content_policy_violation' };
    case 'MODEL_NOT_FOUND':
      return { status: 404, type: 'invalid_request_error', code: 'model_not_found' };
    case 'API_RATE_LIMITED':
      return { status: 429, type: 'requests', code: 'rate_limit_exceeded' };
    case 'NO_AVAILABLE_KEYS':
      return { status: 429, type: 'requests', code: 'no_available_keys' };
    case 'API_QUOTA_EXCEEDED':
      return { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' };
    case 'API_TIMEOUT':
      return { status: 504, type: 'api_error', code: 'upstream_timeout' };
    case 'API_SERVER_ERROR':
      return { status: 502, type: 'api_error', code: 'upstream_server_error' };
    case 'API_REQUEST_FAILED':
      return { status: 502, type: 'api_error', code: 'upstream_unreachable' };
    case 'API_RESPONSE_INVALID':
    case 'RESPONSE_PARSE_ERROR':
      return { status: 502, type: 'api_error', code: 'upstream_invalid_response' };
    case 'API_KEY_INVALID':
      return { status: 502, type: 'api_error', code: 'upstream_auth_failed' };
    case 'USER_LOCATION_NOT_SUPPORTED':
      return { status: 502, type: 'api_error', code: 'upstream_location_unsupported' };
    case 'GENERATION_FAILED':
    case 'EMBEDDING_FAILED':
      return { status: 502, type: 'api_error', code: 'upstream_failed' };
    case 'ABORTED':
      return { status: 499, type: 'api_error', code: 'client_closed_request' };
    case 'CONFIGURATION_ERROR':
    case 'MODEL_INIT_FAILED':
    case 'UNKNOWN_API_TYPE':
      return { status: 500, type: 'server_error', code: 'gateway_misconfigured' };
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/**
 * Any failure → the `GatewayError` to answer with. An `LLMError` keeps its (redacted) message (a 500 says
 * only that the gateway is misconfigured), its
 * `retryAfterMs` and, for `INVALID_PARAMETER`, the field it names (`details.param`); anything else is a 500
 * whose message says nothing of the internals (the caller logs the original).
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (LLMError.isInstance(error)) {
    const mapping = mappingOf(error.code);
    const param = typeof error.details?.param === 'string' ? error.details.param : undefined;
    // A misconfiguration is the operator's to see (the gateway logs it), not the client's.
    const message =
      mapping.status === 500 ? 'The gateway is misconfigured; its log says how.' : error.message;
    return new GatewayError(mapping.status, mapping.type, mapping.code, message, {
      ...(param != null ? { param } : error.code === 'MODEL_NOT_FOUND' ? { param: 'model' } : {}),
      ...(error.retryAfterMs != null && mapping.status === 429 ? { retryAfterMs: error.retryAfterMs } : {}),
      libraryCode: error.code,
    });
  }
  return new GatewayError(500, 'server_error', 'internal_error', 'The gateway failed to handle the request.');
}
