import type { LLMCost, LLMUsage, ModelPricing } from '../spec/index.js';

const PER = 1_000_000;

/**
 * What `usage` cost at `pricing` (USD per million tokens). Every built-in dialect reports `promptTokens` with the
 * cached ones included (OpenAI `prompt_tokens` ⊇ `cached_tokens`, Gemini `promptTokenCount` ⊇
 * `cachedContentTokenCount`, Anthropic input + cache read + cache creation) and `completionTokens` with the
 * reasoning ones included (OpenAI `completion_tokens` ⊇ `reasoning_tokens`, Gemini candidates + thoughts,
 * Anthropic `output_tokens`). So: cached prompt tokens at `cachedInputPerMTok` (else `inputPerMTok`), the rest
 * of the prompt at `inputPerMTok` (Anthropic cache writes included), output at `outputPerMTok`. A provider whose
 * `completion_tokens` leaves reasoning out (xAI: total = prompt + completion + reasoning) is billed by its total:
 * output = max(completion, total − prompt).
 *
 * @example costOf({ promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedTokens: 400 },
 *   { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 }) // { inputUsd: 0.0014, outputUsd: 0.0008, totalUsd: 0.0022 }
 */
export function costOf(usage: LLMUsage, pricing: ModelPricing): LLMCost {
  const prompt = Math.max(0, usage.promptTokens);
  const cached = Math.min(Math.max(0, usage.cachedTokens ?? 0), prompt);
  const output = Math.max(usage.completionTokens, usage.totalTokens - prompt, 0);
  const cachedRate = pricing.cachedInputPerMTok ?? pricing.inputPerMTok;
  const inputUsd = ((prompt - cached) * pricing.inputPerMTok + cached * cachedRate) / PER;
  const outputUsd = (output * pricing.outputPerMTok) / PER;
  return { inputUsd, outputUsd, totalUsd: inputUsd + outputUsd };
}

/** `a + b` (either may be absent); a new object. */
export function addCost(a: LLMCost | undefined, b: LLMCost | undefined): LLMCost | undefined {
  if (a == null) return b == null ? undefined : { ...b };
  if (b == null) return { ...a };
  return {
    inputUsd: a.inputUsd + b.inputUsd,
    outputUsd: a.outputUsd + b.outputUsd,
    totalUsd: a.totalUsd + b.totalUsd,
  };
}
