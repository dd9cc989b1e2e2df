import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import type { LLMGenerationConfig, ModelCapabilities } from '../spec/index.js';
import { autoCoTTexts, type PromptLocale } from './structured-prompts.js';

/**
 * Whether AutoCoT applies (seed-spec §8.3, with its bugs fixed): only when asked for (`autoThinking: true`),
 * the model has no native reasoning (`reasoningMode === 'none'`), and the config asks for no reasoning
 * (`reasoning.effort` unset, `reasoning.budgetTokens` unset or 0).
 */
export function shouldApplyAutoCoT(
  requested: boolean | undefined,
  capabilities: ModelCapabilities,
  config: LLMGenerationConfig | undefined,
): boolean {
  if (requested !== true) return false;
  if (capabilities.reasoningMode !== 'none') return false;
  const reasoning = config?.reasoning;
  if (reasoning?.effort != null) return false;
  if (reasoning?.budgetTokens != null && reasoning.budgetTokens !== 0) return false;
  return true;
}

/** `{ reasoning: string (≥ 10 characters, described), result: schema }`. */
export function wrapWithCoT(schema: $ZodType, locale: PromptLocale): $ZodType {
  const { reasoningDescription } = autoCoTTexts(locale);
  return z.object({ reasoning: z.string().min(10).describe(reasoningDescription), result: schema });
}
