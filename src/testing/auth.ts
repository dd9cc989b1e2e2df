import type { FakeKeys } from './fake-provider-types.js';
import type { Reply } from './reply-types.js';

/** The key a client presented: Bearer token, `x-goog-api-key`, Anthropic `x-api-key`, Azure `api-key`, or `?key=`. */
export function extractApiKey(
  headers: Record<string, string>,
  query: Record<string, string | string[]>,
): string | undefined {
  const bearer = /^\s*Bearer\s+(.+?)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer != null) return bearer;
  const header = headers['x-goog-api-key'] ?? headers['x-api-key'] ?? headers['api-key'];
  if (header != null) return header;
  const fromQuery = query.key;
  return Array.isArray(fromQuery) ? fromQuery[0] : fromQuery;
}

/** OpenAI's way of quoting a bad key: start and end kept, the middle starred. */
function maskKey(key: string): string {
  return key.length > 8
    ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`
    : '*'.repeat(key.length);
}

/** The answer a real provider gives to a missing or invalid key (shapes from the recorded fixtures). */
export function invalidKeyReply(dialect: 'openai' | 'gemini' | 'anthropic', key: string | undefined): Reply {
  if (dialect === 'anthropic') {
    // As recorded (anthropic/error-401-authentication.exchange.json).
    const message = key == null ? 'x-api-key header is required' : 'invalid x-api-key';
    const body = { type: 'error', error: { type: 'authentication_error', message }, request_id: 'req_fake' };
    return { status: 401, text: JSON.stringify(body), contentType: 'application/json' };
  }
  if (dialect === 'gemini') {
    if (key == null) {
      const message =
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
      return geminiJson(403, { code: 403, message, status: 'PERMISSION_DENIED' });
    }
    const message = 'API key not valid. Please pass a valid API key.';
    return geminiJson(400, {
      code: 400,
      message,
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      ],
    });
  }
  const error =
    key == null
      ? {
          message:
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
          type: 'invalid_request_error',
          param: null,
          code: null,
        }
      : {
          message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        };
  return {
    status: 401,
    text: `${JSON.stringify({ error }, null, 4)}\n`,
    contentType: 'application/json; charset=utf-8',
  };
}

function geminiJson(status: number, error: object): Reply {
  return {
    status,
    text: `${JSON.stringify({ error }, null, 2)}\n`,
    contentType: 'application/json; charset=UTF-8',
  };
}

/** The invalid-key answer when `keys` rejects the presented key, else `undefined`. */
export function checkApiKey(
  keys: FakeKeys | undefined,
  key: string | undefined,
  dialect: 'openai' | 'gemini' | 'anthropic',
): Reply | undefined {
  if (keys == null) return undefined;
  const rejected =
    (key != null && keys.invalid?.includes(key) === true) ||
    (keys.valid != null && (key == null || !keys.valid.includes(key)));
  return rejected ? invalidKeyReply(dialect, key) : undefined;
}
