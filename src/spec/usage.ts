/** Token accounting, normalised across providers. */
export interface LLMUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Tokens spent on hidden or shown reasoning (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`). */
  reasoningTokens?: number;
  /** Prompt tokens served from the provider's cache (OpenAI `cached_tokens`, Gemini `cachedContentTokenCount`, DeepSeek `prompt_cache_hit_tokens`). */
  cachedTokens?: number;
}

/**
 * Prices of one model, in USD per million tokens (`ModelDetail.pricing`). Prompt tokens served from the
 * provider's cache are charged at `cachedInputPerMTok` when given, else at `inputPerMTok`; reasoning tokens
 * are output tokens. Anthropic cache writes are charged at `inputPerMTok`.
 *
 * @example { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 }
 */
export interface ModelPricing {
  /** USD per million prompt tokens (≥ 0). */
  inputPerMTok: number;
  /** USD per million completion tokens, reasoning included (≥ 0). */
  outputPerMTok: number;
  /** USD per million cached prompt tokens (≥ 0). @default inputPerMTok */
  cachedInputPerMTok?: number;
}

/** What a call cost, from its `usage` and the model's `pricing` (USD). */
export interface LLMCost {
  /** Prompt tokens: uncached at `inputPerMTok`, cached at `cachedInputPerMTok`. */
  inputUsd: number;
  /** Completion tokens (reasoning included) at `outputPerMTok`. */
  outputUsd: number;
  /** `inputUsd + outputUsd`. */
  totalUsd: number;
}
