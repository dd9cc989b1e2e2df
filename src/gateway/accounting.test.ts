import { describe, expect, it } from 'vitest';
import { noAccounting, utcDay } from './accounting.js';
import { ANONYMOUS } from './auth.js';

describe('accounting seam', () => {
  it('utcDay is the UTC calendar day, also across a day boundary', () => {
    const midnight = Date.UTC(2027, 0, 1);
    expect(utcDay(midnight - 1)).toBe('2026-12-31');
    expect(utcDay(midnight)).toBe('2027-01-01');
    expect(utcDay(midnight + 86_399_999)).toBe('2027-01-01');
    expect(utcDay(midnight - 1)).toBe('2026-12-31');
  });

  it('noAccounting admits everything and records nothing', async () => {
    expect(await noAccounting.check(ANONYMOUS, 0)).toEqual({ ok: true });
    expect(() =>
      noAccounting.record({
        day: '2027-01-01',
        client: 'x',
        model: 'A/b',
        errors: 0,
        promptTokens: 1,
        completionTokens: 1,
        cachedTokens: 0,
        reasoningTokens: 0,
      }),
    ).not.toThrow();
  });
});
