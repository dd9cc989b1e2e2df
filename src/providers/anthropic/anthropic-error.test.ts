import { describe, expect, it } from 'vitest';
import type { ProviderFailure } from '../../errors/classify-provider-error.js';
import { anthropicBodyError, classifyAnthropicError, refusalError } from './anthropic-error.js';
import { anthropicModel, exchange, fixtureText } from './test-support/anthropic-fixtures.js';

const envelope = (type: string, message = 'x') => ({
  type: 'error',
  error: { type, message },
  request_id: 'req_1',
});
const classify = (status: number, body: unknown, headers?: Record<string, string>) => {
  const failure: ProviderFailure = { status, body };
  if (headers != null) failure.headers = headers;
  return classifyAnthropicError(failure, 0);
};

describe('classifyAnthropicError (API.md §13)', () => {
  it('maps every documented error type', () => {
    expect(classify(401, envelope('authentication_error', 'invalid x-api-key'))?.code).toBe(
      'API_KEY_INVALID',
    );
    expect(classify(403, envelope('permission_error'))?.code).toBe('API_KEY_INVALID');
    expect(classify(404, envelope('not_found_error', 'model: claude-x'))?.code).toBe('MODEL_NOT_FOUND');
    expect(classify(429, envelope('rate_limit_error'))?.code).toBe('API_RATE_LIMITED');
    expect(classify(529, envelope('overloaded_error', 'Overloaded'))?.code).toBe('API_SERVER_ERROR');
    expect(classify(500, envelope('api_error'))?.code).toBe('API_SERVER_ERROR');
    expect(classify(504, envelope('timeout_error'))?.code).toBe('API_SERVER_ERROR');
    expect(classify(413, envelope('request_too_large'))?.code).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(
      classify(400, envelope('invalid_request_error', 'prompt is too long: 3 tokens > 2 maximum'))?.code,
    ).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(classify(402, envelope('billing_error'))?.code).toBe('API_QUOTA_EXCEEDED');
    expect(
      classify(
        400,
        envelope('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
      )?.code,
    ).toBe('API_QUOTA_EXCEEDED');
    expect(classify(400, envelope('invalid_request_error', 'max_tokens: Field required'))?.code).toBe(
      'INVALID_PARAMETER',
    );
  });

  it('keeps the provider message and type, and the retry-after hint', () => {
    expect(classify(429, envelope('rate_limit_error', 'slow down'), { 'retry-after': '7' })).toEqual({
      code: 'API_RATE_LIMITED',
      message: 'slow down',
      providerCode: 'rate_limit_error',
      retryAfterMs: 7000,
    });
  });

  it('the recorded error bodies', () => {
    const http = (file: string) => {
      const response = exchange(file)[0]?.response;
      return classify(response?.status ?? 0, response?.body ?? response?.bodyJson)?.code;
    };
    expect(http('anthropic/error-401-authentication.exchange.json')).toBe('API_KEY_INVALID');
    expect(http('anthropic/error-404-model-not-found.exchange.json')).toBe('MODEL_NOT_FOUND');
    expect(http('anthropic/count-tokens-error-404.exchange.json')).toBe('MODEL_NOT_FOUND');
    expect(http('anthropic/error-400-prompt-too-long.exchange.json')).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(http('anthropic/error-400-invalid-request.exchange.json')).toBe('INVALID_PARAMETER');
    expect(classify(429, fixtureText('anthropic/error-429-rate-limit.issue.json'))?.code).toBe(
      'API_RATE_LIMITED',
    );
    expect(classify(529, fixtureText('anthropic/error-529-overloaded.issue.json'))?.code).toBe(
      'API_SERVER_ERROR',
    );
  });

  it('leaves other bodies, aborts and network failures to the generic classifier', () => {
    expect(classify(500, '<html>oops</html>')).toBeUndefined();
    expect(
      classify(400, { error: { message: 'openai-style', type: 'invalid_request_error', code: null } })?.code,
    ).toBe('INVALID_PARAMETER');
    expect(classify(418, envelope('teapot_error'))).toBeUndefined();
    expect(classify(529, envelope('brand_new_error'))?.code).toBe('API_SERVER_ERROR');
    expect(
      classifyAnthropicError({ aborted: 'caller', status: 529, body: envelope('overloaded_error') }),
    ).toBeUndefined();
    expect(classifyAnthropicError({ cause: new Error('ECONNRESET') })).toBeUndefined();
  });
});

describe('in-body errors', () => {
  it('an error event inside a 200 stream is classified like the HTTP error, with context', () => {
    const error = anthropicBodyError(envelope('overloaded_error', 'Overloaded'), { model: anthropicModel() });
    expect(error).toMatchObject({
      code: 'API_SERVER_ERROR',
      retryable: true,
      provider: 'Anthropic',
      model: 'Anthropic/claude-haiku-4-5-20251001',
      details: { providerCode: 'overloaded_error' },
    });
    expect(anthropicBodyError({ type: 'message', content: [] })).toBeUndefined();
    expect(anthropicBodyError('not json')).toBeUndefined();
  });

  it('a refusal is CONTENT_FILTERED, not retried, with the explanation in the message', () => {
    const error = refusalError({}, { stopReason: 'refusal', stopDetails: { explanation: 'blocked' } });
    expect(error).toMatchObject({
      code: 'CONTENT_FILTERED',
      retryable: false,
      message: 'The model refused to answer: blocked',
    });
  });
});
