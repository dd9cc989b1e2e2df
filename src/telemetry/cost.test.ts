import { describe, expect, it } from 'vitest';
import { addCost, costOf } from './cost.js';

describe('costOf', () => {
  it('prices uncached prompt, cached prompt and output tokens separately', () => {
    const cost = costOf(
      { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedTokens: 400 },
      { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
    );
    // (600 × 2 + 400 × 0.5) / 1e6 and 100 × 8 / 1e6
    expect(cost.inputUsd).toBeCloseTo(0.0014, 15);
    expect(cost.outputUsd).toBeCloseTo(0.0008, 15);
    expect(cost.totalUsd).toBeCloseTo(0.0022, 15);
  });

  it('cached tokens at the input price when no cached price is given', () => {
    const cost = costOf(
      { promptTokens: 1000, completionTokens: 0, totalTokens: 1000, cachedTokens: 400 },
      { inputPerMTok: 2, outputPerMTok: 8 },
    );
    expect(cost).toEqual({ inputUsd: 0.002, outputUsd: 0, totalUsd: 0.002 });
  });

  it('reasoning reported outside completion tokens (total = prompt + completion + reasoning) is billed as output', () => {
    // xAI: completion_tokens 26, reasoning_tokens 255, total_tokens 588 = 307 + 26 + 255.
    const cost = costOf(
      { promptTokens: 307, completionTokens: 26, totalTokens: 588, reasoningTokens: 255 },
      { inputPerMTok: 0, outputPerMTok: 1 },
    );
    expect(cost.outputUsd).toBeCloseTo(281e-6, 15);
  });

  it('cached tokens above the prompt count are capped at it; addCost sums', () => {
    const cost = costOf(
      { promptTokens: 10, completionTokens: 0, totalTokens: 10, cachedTokens: 50 },
      { inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: 0 },
    );
    expect(cost.inputUsd).toBe(0);
    expect(addCost(cost, { inputUsd: 1, outputUsd: 2, totalUsd: 3 })).toEqual({
      inputUsd: 1,
      outputUsd: 2,
      totalUsd: 3,
    });
    expect(addCost(undefined, undefined)).toBeUndefined();
  });
});
