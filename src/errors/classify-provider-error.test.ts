import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyAnthropicError } from '../providers/anthropic/anthropic-error.js';
import type { LLMErrorCode } from '../spec/index.js';
import {
  classifyProviderError,
  errorFromBody,
  type ProviderFailure,
  providerErrorToLLMError,
} from './classify-provider-error.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));

interface Expectation {
  /** HTTP status for body-only recordings (exchanges carry their own). */
  status?: number;
  code: LLMErrorCode;
  retryAfterMs?: number;
  /** Which interaction of an exchange holds the error. */
  interaction?: number;
  /** The error arrives inside an HTTP 200 stream: classify the error object found in the body. */
  inStream?: boolean;
  /**
   * The provider's own classifier runs first and the generic one decides what it leaves (as the provider
   * registry does): `anthropic` → `classifyAnthropicError` (API.md §13).
   */
  provider?: 'anthropic';
}

/** What the client concludes for a failure: the provider's classifier first, then API.md §4. */
function classifyAs(expected: Expectation, failure: ProviderFailure) {
  const own = expected.provider === 'anthropic' ? classifyAnthropicError(failure, 0) : undefined;
  return own ?? (failure.inBody ? errorFromBody(failure.body) : classifyProviderError(failure, 0));
}

// Every error recording in fixtures/providers, with what it must produce (API.md §4).
const TABLE: Record<string, Expectation> = {
  'anthropic/count-tokens-error-404.exchange.json': { provider: 'anthropic', code: 'MODEL_NOT_FOUND' },
  'anthropic/error-400-invalid-request.exchange.json': { provider: 'anthropic', code: 'INVALID_PARAMETER' },
  'anthropic/error-400-prompt-too-long.exchange.json': {
    provider: 'anthropic',
    code: 'CONTEXT_LENGTH_EXCEEDED',
  },
  'anthropic/error-401-authentication.exchange.json': { provider: 'anthropic', code: 'API_KEY_INVALID' },
  'anthropic/error-404-model-not-found.exchange.json': { provider: 'anthropic', code: 'MODEL_NOT_FOUND' },
  'anthropic/error-429-rate-limit.issue.json': {
    provider: 'anthropic',
    status: 429,
    code: 'API_RATE_LIMITED',
  },
  'anthropic/error-529-overloaded.issue.json': {
    provider: 'anthropic',
    status: 529,
    code: 'API_SERVER_ERROR',
  },
  'anthropic/stream-error-mid-stream-api-error.issue.sse.txt': {
    provider: 'anthropic',
    inStream: true,
    code: 'API_SERVER_ERROR',
  },
  'anthropic/stream-error-overloaded.issue.sse.txt': {
    provider: 'anthropic',
    inStream: true,
    code: 'API_SERVER_ERROR',
  },
  'deepseek/error-400-context-length.exchange.json': { code: 'CONTEXT_LENGTH_EXCEEDED' },
  'deepseek/error-401.exchange.json': { code: 'API_KEY_INVALID' },
  'gemini/error-400-api-key-invalid-debuginfo.json': { status: 400, code: 'API_KEY_INVALID' },
  'gemini/error-400-api-key-invalid.exchange.json': { code: 'API_KEY_INVALID' },
  'gemini/error-400-failed-precondition-location.json': { status: 400, code: 'USER_LOCATION_NOT_SUPPORTED' },
  'gemini/error-403-service-disabled.json': { status: 403, code: 'API_KEY_INVALID' },
  'gemini/error-404-batch-embed.exchange.json': { code: 'MODEL_NOT_FOUND' },
  'gemini/error-404-model-not-found-stream.exchange.json': { code: 'MODEL_NOT_FOUND' },
  'gemini/error-404-unknown-model.json': { status: 404, code: 'MODEL_NOT_FOUND' },
  'gemini/error-429-quota-legacy.json': { status: 429, code: 'API_RATE_LIMITED' },
  'gemini/error-429-resource-exhausted.exchange.json': { code: 'API_RATE_LIMITED', retryAfterMs: 48_000 },
  'gemini/error-503-unavailable-high-demand.issue.json': { status: 503, code: 'API_SERVER_ERROR' },
  'gemini/error-503-unavailable-overloaded.issue.json': { status: 503, code: 'API_SERVER_ERROR' },
  'gemini/error-stream-http-400-invalid-argument.txt': { status: 400, code: 'INVALID_PARAMETER' },
  'gemini/stream-error-mid-stream.sse.txt': { inStream: true, code: 'API_RESPONSE_INVALID' },
  'groq/error-400-tool-use-failed.exchange.json': { code: 'INVALID_PARAMETER' },
  'openai/embeddings-error-404.exchange.json': { code: 'MODEL_NOT_FOUND' },
  'openai/error-400-context-length-exceeded-chat.issue.json': {
    status: 400,
    code: 'CONTEXT_LENGTH_EXCEEDED',
  },
  'openai/error-400-context-length-exceeded-responses-api.exchange.json': { code: 'CONTEXT_LENGTH_EXCEEDED' },
  'openai/error-400-unsupported-parameter.json': { status: 400, code: 'INVALID_PARAMETER' },
  'openai/error-400-unsupported-value.exchange.json': { code: 'INVALID_PARAMETER' },
  'openai/error-401-invalid-api-key.exchange.json': { code: 'API_KEY_INVALID' },
  'openai/error-404-model-not-found.exchange.json': { code: 'MODEL_NOT_FOUND' },
  'openai/error-429-rate-limit-tokens.exchange.json': { code: 'API_RATE_LIMITED' },
  'openai/image-error-unknown-parameter.json': { status: 400, code: 'INVALID_PARAMETER' },
  'openrouter/chat-stream-comments-and-error.exchange.json': { inStream: true, code: 'INVALID_PARAMETER' },
  'openrouter/error-400-context-length.exchange.json': { code: 'CONTEXT_LENGTH_EXCEEDED' },
  'openrouter/error-429-upstream.exchange.json': { code: 'API_RATE_LIMITED' },
};

interface Exchange {
  interactions: {
    response: {
      status: number;
      headers: Record<string, string | string[]>;
      body?: string;
      bodyJson?: unknown;
    };
  }[];
}

function flattenHeaders(headers: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** The error object found in an SSE body: a `data:` event carrying `error`, or bare JSON after the events. */
function errorObjectInStream(text: string): unknown {
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trim())
      .join('\n');
    if (data.includes('"error"')) return JSON.parse(data);
    if (block.trim().startsWith('{') && block.includes('"error"')) return JSON.parse(block);
  }
  throw new Error('no error object in stream');
}

function listErrorRecordings(): string[] {
  const files: string[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES, dir.name))) {
      if (/error/i.test(file)) files.push(`${dir.name}/${file}`);
    }
  }
  return files.sort();
}

describe('classifyProviderError over every error recording', () => {
  it('has an expectation for every error recording in the fixtures', () => {
    expect(listErrorRecordings().filter((file) => TABLE[file] == null)).toEqual([]);
  });

  for (const [file, expected] of Object.entries(TABLE)) {
    it(`${file} → ${expected.code}`, () => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      let info: ReturnType<typeof classifyProviderError> | undefined;
      if (expected.inStream) {
        const body = file.endsWith('.exchange.json')
          ? ((JSON.parse(text) as Exchange).interactions[0]?.response.body ?? '')
          : text;
        info = classifyAs(expected, { body: errorObjectInStream(body), inBody: true });
      } else if (file.endsWith('.exchange.json')) {
        const response = (JSON.parse(text) as Exchange).interactions[expected.interaction ?? 0]?.response;
        if (response == null) throw new Error('missing interaction');
        info = classifyAs(expected, {
          status: response.status,
          headers: flattenHeaders(response.headers),
          body: response.body ?? response.bodyJson,
        });
      } else {
        info = classifyAs(expected, { status: expected.status ?? 200, headers: {}, body: text });
      }
      expect(info?.code).toBe(expected.code);
      if (expected.retryAfterMs != null) expect(info?.retryAfterMs).toBe(expected.retryAfterMs);
      expect(info?.message.length).toBeGreaterThan(0);
    });
  }
});

describe('classifyProviderError rules', () => {
  const openaiError = (code: string, message = 'x', type = 'invalid_request_error') => ({
    error: { code, message, type, param: null },
  });

  it('maps aborts and deadlines first', () => {
    expect(classifyProviderError({ aborted: 'caller', status: 500 }).code).toBe('ABORTED');
    expect(classifyProviderError({ aborted: 'deadline' }).code).toBe('API_TIMEOUT');
  });

  it('maps network failures by cause, walking the cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', { cause: refused });
    const info = classifyProviderError({ cause: wrapped });
    expect(info).toMatchObject({ code: 'API_REQUEST_FAILED', networkCause: 'refused' });
    expect(
      classifyProviderError({ cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }).networkCause,
    ).toBe('dns');
    expect(
      classifyProviderError({ cause: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) })
        .code,
    ).toBe('API_TIMEOUT');
    expect(
      classifyProviderError({ cause: Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) })
        .networkCause,
    ).toBe('tls');
    expect(classifyProviderError({ cause: new Error('Proxy response (407) !== 200') }).networkCause).toBe(
      'proxy',
    );
  });

  it('tells location errors from key errors on 401/403', () => {
    const body = openaiError(
      'unsupported_country_region_territory',
      'Country, region, or territory not supported',
    );
    expect(classifyProviderError({ status: 403, body }).code).toBe('USER_LOCATION_NOT_SUPPORTED');
    expect(classifyProviderError({ status: 401, body: openaiError('whatever') }).code).toBe(
      'API_KEY_INVALID',
    );
    expect(
      classifyProviderError({
        status: 403,
        body: { error: { status: 'PERMISSION_DENIED', code: 403, message: 'denied' } },
      }).code,
    ).toBe('API_KEY_INVALID');
  });

  it('tells quota from rate limits', () => {
    expect(
      classifyProviderError({
        status: 429,
        body: openaiError('insufficient_quota', 'You exceeded your current quota'),
      }).code,
    ).toBe('API_QUOTA_EXCEEDED');
    expect(classifyProviderError({ status: 402, body: 'Payment required' }).code).toBe('API_QUOTA_EXCEEDED');
    const perDay = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'You exceeded your current quota, please check your plan and billing details.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' },
        ],
      },
    };
    expect(classifyProviderError({ status: 429, body: perDay })).toMatchObject({
      code: 'API_QUOTA_EXCEEDED',
      quotaWindow: 'day',
      retryAfterMs: 36_000,
    });
    expect(classifyProviderError({ status: 429, body: openaiError('rate_limit_exceeded') }).code).toBe(
      'API_RATE_LIMITED',
    );
  });

  it('billing and credit failures are quota at any status (API.md §4), also as 400s', () => {
    const anthropicCredit = {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      },
    };
    expect(classifyProviderError({ status: 400, body: anthropicCredit }).code).toBe('API_QUOTA_EXCEEDED');
    const billing = { type: 'error', error: { type: 'billing_error', message: 'Payment method declined' } };
    expect(classifyProviderError({ status: 400, body: billing }).code).toBe('API_QUOTA_EXCEEDED');
    expect(classifyProviderError({ status: 400, body: openaiError('insufficient_quota') }).code).toBe(
      'API_QUOTA_EXCEEDED',
    );
    expect(
      classifyProviderError({ status: 400, body: openaiError('bad_value', 'billing address') }).code,
    ).toBe('INVALID_PARAMETER');
  });

  it('reads retry hints: retry-after-ms, retry-after seconds and HTTP date, message text', () => {
    const now = Date.parse('2026-11-26T00:00:00Z');
    expect(
      classifyProviderError({ status: 429, headers: { 'retry-after-ms': '250' }, body: '' }, now)
        .retryAfterMs,
    ).toBe(250);
    expect(
      classifyProviderError({ status: 429, headers: { 'retry-after': '3' }, body: '' }, now).retryAfterMs,
    ).toBe(3000);
    expect(
      classifyProviderError(
        { status: 503, headers: { 'retry-after': 'Thu, 26 Nov 2026 00:00:05 GMT' }, body: '' },
        now,
      ).retryAfterMs,
    ).toBe(5000);
    const body = openaiError('rate_limit_exceeded', 'Rate limit reached. Please try again in 634ms.');
    expect(classifyProviderError({ status: 429, body }, now).retryAfterMs).toBe(634);
    expect(
      classifyProviderError({ status: 429, body: { error: { message: 'Please retry in 36.4s.' } } })
        .retryAfterMs,
    ).toBe(36_400);
  });

  it("reads Gemini's context-length 400 (INVALID_ARGUMENT, input token count) as CONTEXT_LENGTH_EXCEEDED", () => {
    const message = 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).';
    const body = { error: { code: 400, message, status: 'INVALID_ARGUMENT' } };
    expect(classifyProviderError({ status: 400, body }).code).toBe('CONTEXT_LENGTH_EXCEEDED');
    // The same text through Gemini's OpenAI-compatible endpoint.
    expect(classifyProviderError({ status: 400, body: [body] }).code).toBe('CONTEXT_LENGTH_EXCEEDED');
  });

  it('classifies other statuses', () => {
    expect(classifyProviderError({ status: 413, body: 'too large' }).code).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(classifyProviderError({ status: 500, body: '<html>oops</html>' }).code).toBe('API_SERVER_ERROR');
    expect(classifyProviderError({ status: 408, body: '' }).code).toBe('API_TIMEOUT');
    expect(classifyProviderError({ status: 418, body: '' }).code).toBe('INVALID_PARAMETER');
    expect(classifyProviderError({ status: 302, body: '' }).code).toBe('API_RESPONSE_INVALID');
  });

  it('returns undefined for bodies without an error object', () => {
    expect(errorFromBody({ choices: [] })).toBeUndefined();
    expect(errorFromBody('not json')).toBeUndefined();
    expect(
      errorFromBody([{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'slow down' } }])?.code,
    ).toBe('API_RATE_LIMITED');
  });

  it('builds an LLMError with context and no key in the message', () => {
    const error = providerErrorToLLMError(
      {
        status: 401,
        body: openaiError('invalid_api_key', 'Incorrect API key provided: sk-test-abcdefghijklmnop1234.'),
      },
      { provider: 'OpenAI', model: 'OpenAI/gpt-4o-mini', keyId: 'sk-t…1234' },
    );
    expect(error).toMatchObject({
      code: 'API_KEY_INVALID',
      status: 401,
      provider: 'OpenAI',
      keyId: 'sk-t…1234',
    });
    expect(error.message).not.toContain('abcdefghijklmnop');
    expect(error.details).toEqual({ providerCode: 'invalid_api_key' });
    expect(error.retryable).toBe(true);
  });
});

describe('provider error hints (ProviderDefinition.classifyError)', () => {
  const overloaded = {
    status: 400,
    headers: { 'retry-after': '2' },
    body: { type: 'error', error: { type: 'plan_suspended', message: 'Your plan is on hold' } },
  };

  it('decide before the generic rules, with the generic retry hint and message', () => {
    const seen: unknown[] = [];
    const info = classifyProviderError({
      ...overloaded,
      classify: (failure) => {
        seen.push(failure);
        return failure.providerCode === 'plan_suspended' ? 'API_QUOTA_EXCEEDED' : undefined;
      },
    });
    expect(info).toMatchObject({
      code: 'API_QUOTA_EXCEEDED',
      message: 'Your plan is on hold',
      retryAfterMs: 2000,
    });
    expect(seen).toEqual([
      {
        status: 400,
        headers: { 'retry-after': '2' },
        body: overloaded.body,
        message: 'Your plan is on hold',
        providerCode: 'plan_suspended',
      },
    ]);
    // Without the hint the generic table says 400 → INVALID_PARAMETER.
    expect(classifyProviderError(overloaded).code).toBe('INVALID_PARAMETER');
  });

  it('leave the failure to the generic rules when they return undefined, throw, or return a non-code', () => {
    for (const classify of [
      () => undefined,
      () => {
        throw new Error('bug in a hint');
      },
      () => 'NOT_A_CODE' as LLMErrorCode,
    ]) {
      expect(classifyProviderError({ ...overloaded, classify }).code).toBe('INVALID_PARAMETER');
    }
  });

  it('are not consulted for aborts and network failures', () => {
    const classify = () => 'API_SERVER_ERROR' as const;
    expect(classifyProviderError({ aborted: 'caller', classify }).code).toBe('ABORTED');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyProviderError({ cause: refused, classify }).code).toBe('API_REQUEST_FAILED');
  });

  it('reach the LLMError built for an HTTP failure', () => {
    const error = providerErrorToLLMError({ ...overloaded, classify: () => 'API_QUOTA_EXCEEDED' });
    expect(error).toMatchObject({ code: 'API_QUOTA_EXCEEDED', status: 400, retryAfterMs: 2000 });
  });
});
