import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { AttemptAbort } from './call-signal.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AttemptAbort', () => {
  it('settles a raced promise at abort(), and runs the undici listeners in a later batch', async () => {
    const attempt = new AttemptAbort();
    const order: string[] = [];
    attempt.once('abort', () => order.push('undici teardown'));
    const never = new Promise<string>(() => {});
    const raced = attempt
      .race(never, () => {})
      .catch((error: unknown) => {
        order.push('settled');
        return error;
      });
    const reason = new LLMError('ABORTED', 'aborted');
    attempt.abort(reason);
    expect(attempt.aborted).toBe(true);
    expect(await raced).toBe(reason);
    expect(order).toEqual(['settled']);
    await tick();
    expect(order).toEqual(['settled', 'undici teardown']);
  });

  it('teardown listeners of many aborts run in one batch, without stack traces, and restore the limit', async () => {
    const limit = Error.stackTraceLimit;
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const attempt = new AttemptAbort();
      attempt.once('abort', () => seen.push(Error.stackTraceLimit));
      attempt.abort(new Error('x'));
    }
    expect(seen).toEqual([]);
    await tick();
    expect(seen).toEqual([0, 0, 0]);
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('a removed listener never runs; a value that arrives after the abort goes to onLate', async () => {
    const attempt = new AttemptAbort();
    const ran: string[] = [];
    const listener = () => ran.push('removed');
    attempt.once('abort', listener);
    attempt.removeListener('abort', listener);
    let deliver!: (value: string) => void;
    const late: string[] = [];
    const raced = attempt.race(
      new Promise<string>((resolve) => {
        deliver = resolve;
      }),
      (value) => late.push(value),
    );
    attempt.abort('stop');
    await expect(raced).rejects.toBe('stop');
    deliver('response');
    await tick();
    expect(late).toEqual(['response']);
    expect(ran).toEqual([]);
  });

  it('race passes the outcome through when nothing aborts, and rejects at once when already aborted', async () => {
    const attempt = new AttemptAbort();
    expect(await attempt.race(Promise.resolve(7), () => {})).toBe(7);
    await expect(attempt.race(Promise.reject(new Error('net')), () => {})).rejects.toThrow('net');
    attempt.abort('gone');
    await expect(attempt.race(Promise.resolve(1), () => {})).rejects.toBe('gone');
  });
});
