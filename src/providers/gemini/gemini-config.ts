import type { LLMGenerationConfig, Mapped, ProviderModel, ReasoningConfig } from '../../spec/index.js';
import type {
  GeminiGenerationConfig,
  GeminiSafetySetting,
  GeminiThinkingConfig,
  GeminiToolConfig,
} from './gemini-wire.js';

/** What the generation config contributes to a `generateContent` body. */
export interface GeminiConfigFields {
  /** Undefined when nothing is set (the field is then left out of the body). */
  generationConfig?: GeminiGenerationConfig;
  safetySettings: GeminiSafetySetting[];
  /** `customParams.user_location` → `toolConfig.retrievalConfig` (Google Maps / Search grounding). */
  retrievalConfig?: GeminiToolConfig['retrievalConfig'];
}

/** The four categories sent at `geminiSafetyThreshold` when the call gives no `safety.safetySettings`. */
export const DEFAULT_SAFETY_CATEGORIES = [
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
] as const;

/** 32768 tokens: the base of fractional thinking budgets (`budgetTokens: 0.25` → 8192). */
const BUDGET_SCALE = 32768;

const THINKING_LEVELS = { minimal: 'MINIMAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH' } as const;

/** Output image sizes Gemini accepts, with the seed's `STANDARD`/`HD` aliases. */
const IMAGE_SIZES: Record<string, string> = {
  '512': '512',
  '1K': '1K',
  '2K': '2K',
  '4K': '4K',
  STANDARD: '1K',
  HD: '2K',
};

/** Seed renames of snake_case custom params (seed-spec §6.6), plus the obvious neighbours. */
const CUSTOM_RENAMES: Record<string, string> = {
  max_tokens: 'maxOutputTokens',
  max_output_tokens: 'maxOutputTokens',
  top_k: 'topK',
  top_p: 'topP',
  stop_sequences: 'stopSequences',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  candidate_count: 'candidateCount',
  response_mime_type: 'responseMimeType',
  response_modalities: 'responseModalities',
  thinking_config: 'thinkingConfig',
  media_resolution: 'mediaResolution',
};

/** Seed-era custom params that are not generation settings; dropped (with a warning), never sent. */
const CUSTOM_DROPPED = new Set([
  'code_execution_timeout',
  'grounding_config',
  'dynamic_threshold',
  'reflexion_retries',
  'repetition_penalty',
  'repetitionPenalty',
]);

/**
 * Maps a neutral `LLMGenerationConfig` to Gemini `generationConfig`, `safetySettings` and the retrieval
 * part of `toolConfig` (seed-spec §6.6, Gemini column, with its bugs fixed: `stop`, penalties, `1K/2K/4K`
 * sizes, and no thinking forced on models that do not think). Never mutates `config`.
 */
export function mapGeminiConfig(
  config: LLMGenerationConfig,
  model: ProviderModel,
  safetyThreshold: string,
): Mapped<GeminiConfigFields> {
  const warnings: string[] = [];
  const out: GeminiGenerationConfig = {};

  const core = config.core;
  if (core != null) {
    if (core.temperature != null) out.temperature = core.temperature;
    if (core.maxTokens != null) out.maxOutputTokens = core.maxTokens;
    if (core.topP != null) out.topP = core.topP;
    if (core.topK != null) out.topK = core.topK;
    if (core.stop != null) out.stopSequences = typeof core.stop === 'string' ? [core.stop] : [...core.stop];
    if (core.presencePenalty != null) out.presencePenalty = core.presencePenalty;
    if (core.frequencyPenalty != null) out.frequencyPenalty = core.frequencyPenalty;
    if (core.seed != null) out.seed = core.seed;
    if (core.repetitionPenalty != null) warnings.push('Gemini does not support repetitionPenalty; ignored');
  }

  const thinking = mapThinking(config.reasoning, model, warnings);
  if (thinking != null) out.thinkingConfig = thinking;

  mapOutput(config, out, warnings);
  mapVisual(config, model, out, warnings);

  let retrievalConfig: GeminiToolConfig['retrievalConfig'] | undefined;
  if (config.customParams != null) {
    for (const [key, value] of Object.entries(config.customParams)) {
      if (key === 'user_location' || key === 'userLocation') {
        retrievalConfig = { latLng: value };
      } else if (CUSTOM_DROPPED.has(key)) {
        warnings.push(`Gemini: customParams.${key} is not a Gemini setting; ignored`);
      } else {
        out[CUSTOM_RENAMES[key] ?? key] = value;
      }
    }
  }

  const safety = config.safety?.safetySettings;
  const safetySettings =
    safety != null
      ? Object.entries(safety).map(([category, threshold]) => ({ category, threshold }))
      : DEFAULT_SAFETY_CATEGORIES.map((category) => ({ category, threshold: safetyThreshold }));

  const value: GeminiConfigFields = { safetySettings };
  if (Object.keys(out).length > 0) value.generationConfig = out;
  if (retrievalConfig != null) value.retrievalConfig = retrievalConfig;
  return { value, warnings };
}

/**
 * `reasoning` → `thinkingConfig`, by model family: `thinkingBudget` for budget models (Gemini 2.5),
 * `thinkingLevel` for level models (Gemini 3). Models without thinking get none, whatever was asked.
 */
function mapThinking(
  reasoning: ReasoningConfig | undefined,
  model: ProviderModel,
  warnings: string[],
): GeminiThinkingConfig | undefined {
  if (reasoning == null) return undefined;
  const { effort, budgetTokens, showThoughts } = reasoning;
  if (effort == null && budgetTokens == null && showThoughts == null) return undefined;
  const mode = model.capabilities.reasoningMode;
  if (mode !== 'budget' && mode !== 'level') {
    warnings.push(`${model.fullName} does not think; reasoning settings ignored`);
    return undefined;
  }

  const thinking: GeminiThinkingConfig = {};
  if (mode === 'budget') {
    if (budgetTokens != null) thinking.thinkingBudget = budgetToTokens(budgetTokens);
    if (effort != null) {
      warnings.push(`${model.fullName} takes a thinking budget, not an effort level; effort ignored`);
    }
  } else {
    if (effort != null) thinking.thinkingLevel = THINKING_LEVELS[effort];
    if (budgetTokens != null && budgetTokens !== -1) {
      warnings.push(`${model.fullName} takes a thinking level (effort), not a budget; budgetTokens ignored`);
    }
  }
  if (showThoughts != null) thinking.includeThoughts = showThoughts;
  return Object.keys(thinking).length > 0 ? thinking : undefined;
}

/** −1 dynamic, 0 off, a fraction 0<x<1 of 32768, otherwise whole tokens. */
function budgetToTokens(budget: number): number {
  if (budget > 0 && budget < 1) return Math.floor(budget * BUDGET_SCALE);
  return Math.trunc(budget);
}

function mapOutput(config: LLMGenerationConfig, out: GeminiGenerationConfig, warnings: string[]): void {
  const output = config.output;
  if (output == null) return;
  const format = output.responseFormat;
  if (format != null && typeof format === 'object') {
    warnings.push(
      'Gemini ignores an OpenAI response_format object; use responseFormat "json" + responseSchema',
    );
  }
  const wantsJson = format === 'json' || output.responseSchema != null;
  const mimeType = output.responseMimeType ?? (wantsJson ? 'application/json' : undefined);
  if (mimeType != null) out.responseMimeType = mimeType;
  // responseJsonSchema takes JSON Schema as is ($refs already inlined by the caller); no copy.
  if (output.responseSchema != null) out.responseJsonSchema = output.responseSchema;
  if (output.responseModalities != null) out.responseModalities = [...output.responseModalities];
}

function mapVisual(
  config: LLMGenerationConfig,
  model: ProviderModel,
  out: GeminiGenerationConfig,
  warnings: string[],
): void {
  const visual = config.visual;
  if (visual == null) return;
  const imageConfig: NonNullable<GeminiGenerationConfig['imageConfig']> = {};
  if (visual.aspectRatio != null) {
    if (/^\d+:\d+$/.test(visual.aspectRatio)) imageConfig.aspectRatio = visual.aspectRatio;
    else warnings.push(`Gemini aspect ratios look like "16:9"; "${visual.aspectRatio}" ignored`);
  }
  if (visual.resolution != null) {
    const size = IMAGE_SIZES[visual.resolution.toUpperCase()];
    if (size != null) imageConfig.imageSize = size;
    else warnings.push(`Gemini image sizes are 1K, 2K, 4K; "${visual.resolution}" ignored`);
  }
  if (Object.keys(imageConfig).length > 0) {
    const makesImages =
      model.capabilities.outputModalities.includes('image') || out.responseModalities?.includes('IMAGE');
    if (makesImages) out.imageConfig = imageConfig;
    else warnings.push(`${model.fullName} does not generate images; aspectRatio/resolution ignored`);
  }
  if (visual.mediaResolution != null) {
    const level = visual.mediaResolution.toUpperCase().replace(/^MEDIA_RESOLUTION_/, '');
    out.mediaResolution = `MEDIA_RESOLUTION_${level}`;
  }
  for (const field of ['quality', 'background', 'style'] as const) {
    if (visual[field] != null) warnings.push(`Gemini does not support visual.${field}; ignored`);
  }
  if (visual.count != null && visual.count !== 1) {
    warnings.push('Gemini returns one image per request; visual.count ignored');
  }
}
