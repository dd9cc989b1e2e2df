import { describe, expect, it } from 'vitest';
import { addUsage } from './add-usage.js';

describe('addUsage', () => {
  it('adds every count, keeping the optional ones present on either side', () => {
    const a = { promptTokens: 10, completionTokens: 5, totalTokens: 15, cachedTokens: 4 };
    const b = { promptTokens: 20, completionTokens: 7, totalTokens: 27, reasoningTokens: 3 };
    expect(addUsage(a, b)).toEqual({
      promptTokens: 30,
      completionTokens: 12,
      totalTokens: 42,
      reasoningTokens: 3,
      cachedTokens: 4,
    });
  });

  it('absent sides: a copy of the other, or undefined', () => {
    const a = { promptTokens: 1, completionTokens: 2, totalTokens: 3 };
    const sum = addUsage(a, undefined);
    expect(sum).toEqual(a);
    expect(sum).not.toBe(a);
    expect(addUsage(undefined, a)).not.toBe(a);
    expect(addUsage(undefined, undefined)).toBeUndefined();
  });
});
