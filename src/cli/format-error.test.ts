import { describe, expect, it } from 'vitest';
import { LLM_ERROR_CODES } from '../errors/error-codes.js';
import { LLMError } from '../errors/llm-error.js';
import { colorEnabled } from './colors.js';
import { formatError } from './format-error.js';

describe('formatError', () => {
  it('prints the code, the friendly message, the technical message and where it happened — no stack', () => {
    const error = new LLMError('API_RATE_LIMITED', 'Rate limit reached', {
      model: 'OpenAI/gpt-4o-mini',
      keyId: 'key#abcdef',
      status: 429,
      retryAfterMs: 20_000,
    });
    expect(formatError(error, { debug: false })).toBe(
      [
        'error [API_RATE_LIMITED]: Too many requests: the AI service is rate limiting us; please try again later.',
        'Rate limit reached',
        '(OpenAI/gpt-4o-mini, key key#abcdef, HTTP 429)',
        'retry in about 20 s',
        '',
      ].join('\n'),
    );
  });

  it('uses the locale and adds attempts and the stack with debug', () => {
    const error = new LLMError('API_KEY_INVALID', 'bad key', {
      attempts: [
        {
          attempt: 1,
          model: 'OpenAI/gpt-4o-mini',
          keyId: 'key#abcdef',
          status: 401,
          code: 'API_KEY_INVALID',
          durationMs: 5,
          waitMs: 0,
        },
      ],
    });
    const text = formatError(error, { debug: true, locale: 'zh' });
    expect(text).toMatch(/^error \[API_KEY_INVALID\]: 服务商拒绝了该 API 密钥/);
    expect(text).toContain('attempt 1: key key#abcdef status 401 API_KEY_INVALID 5 ms');
    expect(text).toMatch(/\n\s+at /);
  });

  it('speaks to the person at the terminal: no "contact the administrator", the command that helps instead', () => {
    for (const code of LLM_ERROR_CODES) {
      for (const locale of ['en', 'zh'] as const) {
        const text = formatError(new LLMError(code, 'technical detail', { provider: 'OpenAI' }), {
          debug: false,
          locale,
        });
        expect({ code, locale, text }).toEqual({
          code,
          locale,
          text: expect.not.stringMatching(/administrator|管理员/),
        });
      }
    }
    const noKeys = new LLMError(
      'NO_AVAILABLE_KEYS',
      'Every key of OpenAI is disabled (rejected as invalid); replace them or reset with llm.keys.reset',
      { provider: 'OpenAI', model: 'OpenAI/gpt-4o-mini' },
    );
    const text = formatError(noKeys, { debug: false });
    expect(text.split('\n')[0]).toBe(
      'error [NO_AVAILABLE_KEYS]: No API key of OpenAI can be used right now (all cooling down or disabled); wait, or see why with `switchboard keys OpenAI` and re-enable with `switchboard keys reset OpenAI [keyId]`.',
    );
    // The library's own hint, turned into the command.
    expect(text).toContain('reset with `switchboard keys reset <provider> [keyId]`');
    expect(text).not.toContain('llm.keys.reset');
    expect(formatError(noKeys, { debug: false, locale: 'zh' })).toContain(
      'switchboard keys reset OpenAI [keyId]',
    );
  });

  it('prints other errors as "error: message"', () => {
    expect(formatError(new Error('boom'), { debug: false })).toBe('error: boom\n');
  });
});

describe('colorEnabled', () => {
  it('colours a TTY, never with NO_COLOR, always with FORCE_COLOR, never a dumb terminal', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
