import type { LLMUsage } from '../spec/index.js';

/**
 * The sum of two usages (either may be absent): token counts added, `reasoningTokens`/`cachedTokens` present
 * when either side has them. Returns a new object (never one of its arguments), or undefined when both are.
 *
 * @example addUsage(round1.usage, round2.usage) // the call's total over its tool rounds
 */
export function addUsage(a: LLMUsage | undefined, b: LLMUsage | undefined): LLMUsage | undefined {
  if (a == null) return b == null ? undefined : { ...b };
  if (b == null) return { ...a };
  const sum: LLMUsage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.reasoningTokens != null || b.reasoningTokens != null) {
    sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  }
  if (a.cachedTokens != null || b.cachedTokens != null) {
    sum.cachedTokens = (a.cachedTokens ?? 0) + (b.cachedTokens ?? 0);
  }
  return sum;
}
