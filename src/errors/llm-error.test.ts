import { describe, expect, it } from 'vitest';
import { registerSecrets } from '../logging/secrets.js';
import { LLM_ERROR_CODES, retryPolicyOf } from './error-codes.js';
import { friendlyMessageOf } from './friendly-messages.js';
import { LLMError } from './llm-error.js';

describe('LLMError', () => {
  it('is an Error with a code, derives retryable from the code, and is recognised across copies', () => {
    const error = new LLMError('API_RATE_LIMITED', 'slow down', { status: 429, retryAfterMs: 1000 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LLMError');
    expect(error.retryable).toBe(true);
    expect(new LLMError('CONTENT_FILTERED', 'blocked').retryable).toBe(false);
    expect(LLMError.isInstance(error)).toBe(true);
    expect(LLMError.isInstance(new Error('x'))).toBe(false);
    expect(LLMError.isInstance({ code: 'API_TIMEOUT' })).toBe(false);
  });

  it('gives a friendly message in English and Chinese, with the location hint', () => {
    const error = new LLMError('USER_LOCATION_NOT_SUPPORTED', 'User location is not supported');
    expect(error.friendlyMessage).toMatch(/proxy/i);
    error.locale = 'zh';
    expect(error.friendlyMessage).toContain('代理节点');
    expect(error.friendlyMessage).toContain('美国/日本/新加坡');
    for (const code of LLM_ERROR_CODES) {
      expect(friendlyMessageOf(code, 'en').length).toBeGreaterThan(10);
      expect(friendlyMessageOf(code, 'zh').length).toBeGreaterThan(4);
    }
  });

  it('names the likely network cause in the friendly message', () => {
    const error = new LLMError('API_REQUEST_FAILED', 'connect ECONNREFUSED', { networkCause: 'refused' });
    expect(error.friendlyMessage).toMatch(/connection refused/);
  });

  it('never carries a registered key in message, details or JSON', () => {
    const key = 'test-secret-key-0123456789';
    registerSecrets([key]);
    const error = new LLMError('API_KEY_INVALID', `bad key ${key}`, {
      details: { echoed: { header: `Bearer ${key}` }, list: [key] },
      cause: new Error(`upstream said ${key}`),
    });
    const json = JSON.stringify(error);
    expect(error.message).not.toContain(key);
    expect(JSON.stringify(error.details)).not.toContain(key);
    expect(json).not.toContain(key);
    expect(json).toContain('API_KEY_INVALID');
    expect(JSON.parse(json).friendlyMessage).toMatch(/key/i);
  });

  it('wraps unknown throwables with from()', () => {
    const wrapped = LLMError.from(new TypeError('boom'), 'GENERATION_FAILED');
    expect(wrapped.code).toBe('GENERATION_FAILED');
    expect(wrapped.cause).toBeInstanceOf(TypeError);
    const same = new LLMError('ABORTED', 'x');
    expect(LLMError.from(same)).toBe(same);
  });

  it('has one retry policy per code', () => {
    expect(retryPolicyOf('API_SERVER_ERROR')).toBe('retry');
    expect(retryPolicyOf('API_KEY_INVALID')).toBe('other-key');
    expect(retryPolicyOf('API_QUOTA_EXCEEDED')).toBe('other-key');
    expect(retryPolicyOf('NO_AVAILABLE_KEYS')).toBe('later');
    expect(retryPolicyOf('INVALID_PARAMETER')).toBe('never');
    expect(new Set(LLM_ERROR_CODES.map(retryPolicyOf))).toEqual(
      new Set(['retry', 'other-key', 'later', 'never']),
    );
  });
});
