import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registerSecrets } from '../logging/secrets.js';
import { LLMError } from './llm-error.js';
import { sanitizeCause } from './sanitize-cause.js';

const PASSWORD = 'hunter2-redis-pw-zq7w';

/** An error shaped like ioredis's ReplyError for a rejected AUTH. */
function replyError(): Error {
  class ReplyError extends Error {
    override name = 'ReplyError';
  }
  return Object.assign(new ReplyError('WRONGPASS invalid username-password pair or user is disabled.'), {
    command: { name: 'auth', args: ['default', PASSWORD] },
    args: ['AUTH', PASSWORD],
    options: { password: PASSWORD, host: '127.0.0.1' },
  });
}

describe('sanitizeCause (what an LLMError keeps of the error it wraps)', () => {
  it('drops command, args and options: the password is in neither inspect nor JSON', () => {
    const error = new LLMError('CONFIGURATION_ERROR', 'keyStore: Redis rejected the credentials', {
      cause: replyError(),
    });
    const cause = error.cause as Error & Record<string, unknown>;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('ReplyError');
    expect(cause.message).toMatch(/^WRONGPASS/);
    expect(cause.command).toBeUndefined();
    expect(cause.args).toBeUndefined();
    expect(cause.options).toBeUndefined();
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });

  it('a plain object with args is reduced to its message and code', () => {
    const error = LLMError.from({ message: 'boom', code: 'EFAIL', args: ['AUTH', 'secret-pw-zq7w'] });
    expect(error.cause).toMatchObject({ message: 'boom', code: 'EFAIL' });
    expect(inspect(error, { depth: 10 })).not.toContain('secret-pw-zq7w');
    expect(inspect(sanitizeCause({ args: ['AUTH', 'secret-pw-zq7w'] }), { depth: 10 })).not.toContain(
      'secret-pw-zq7w',
    );
  });

  it('keeps the class, code, errno and syscall; scrubs messages, stacks and nested causes', () => {
    registerSecrets(['test-key-sanitize-0001']);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9 key test-key-sanitize-0001'), {
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
      address: '127.0.0.1',
      config: { headers: { authorization: 'Bearer test-key-sanitize-0001' } },
    });
    const outer = new TypeError('fetch failed', { cause: refused });
    const error = LLMError.from(outer, 'API_REQUEST_FAILED');
    const cause = error.cause as TypeError & { cause: Record<string, unknown> };
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.cause).toMatchObject({ code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    expect(cause.cause.config).toBeUndefined();
    expect(cause.cause.address).toBeUndefined();
    const text = inspect(error, { depth: 10 });
    expect(text).not.toContain('test-key-sanitize-0001');
    expect(text).toContain('ECONNREFUSED');
    expect(String(cause.cause.stack)).not.toContain('test-key-sanitize-0001');
  });

  it('AggregateError members, DOMException and LLMError causes', () => {
    const members = [Object.assign(new Error('a'), { args: ['AUTH', PASSWORD] }), new Error('b')];
    const aggregate = sanitizeCause(new AggregateError(members, 'all failed')) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.errors.map((member: Error) => member.message)).toEqual(['a', 'b']);
    expect(inspect(aggregate, { depth: 10 })).not.toContain(PASSWORD);
    const timeout = sanitizeCause(
      new DOMException('The operation timed out.', 'TimeoutError'),
    ) as DOMException;
    expect(timeout).toBeInstanceOf(DOMException);
    expect(timeout.name).toBe('TimeoutError');
    const inner = new LLMError('API_TIMEOUT', 'deadline');
    expect(sanitizeCause(inner)).toBe(inner);
    expect(sanitizeCause('plain text')).toBe('plain text');
    expect(sanitizeCause(42)).toBe(42);
  });

  it('cyclic and deep cause chains end', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const copy = sanitizeCause(a) as Error;
    let depth = 0;
    for (let at: unknown = copy; at instanceof Error; at = at.cause) depth++;
    expect(depth).toBeLessThanOrEqual(6);
  });
});
