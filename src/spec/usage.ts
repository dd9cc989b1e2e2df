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
