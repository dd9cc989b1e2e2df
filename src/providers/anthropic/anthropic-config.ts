import type {
  JsonSchema,
  LLMGenerationConfig,
  Mapped,
  ProviderModel,
  ReasoningConfig,
  ReasoningEffort,
} from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import { hasOpenObjects, toAnthropicSchema } from './anthropic-schema.js';
import type { AnthropicOutputConfig, AnthropicThinking } from './anthropic-wire.js';

/** `max_tokens` when neither the call nor the model sets one (the API requires the field). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
/** The smallest thinking budget the API accepts. */
export const MIN_THINKING_BUDGET = 1024;
/** Thinking budget per effort level (`reasoning.effort`). */
export const EFFORT_BUDGETS: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
};
/** 32768 tokens: the base of fractional budgets (`budgetTokens: 0.25` → 8192), as for Gemini. */
const BUDGET_SCALE = 32768;

/** The model fields the config mapping reads. */
export type AnthropicConfigModel = Pick<ProviderModel, 'fullName' | 'capabilities' | 'defaults'>;

/** What the generation config contributes to a Messages request body. */
export interface AnthropicConfigFields {
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  thinking?: AnthropicThinking;
  output_config?: AnthropicOutputConfig;
  /** `customParams.citations`: enable citations on every document block. */
  citations: boolean;
  /** The other `customParams`, merged verbatim into the body (they win over mapped fields). */
  custom: Record<string, unknown>;
}

/**
 * Maps a neutral `LLMGenerationConfig` to Messages API body fields (API.md §13):
 * - `max_tokens` always: `core.maxTokens`, else the model's `maxTokens`, else 4096;
 * - `temperature` (clamped to Anthropic's 0–1), `top_p`, `top_k`, `stop` → `stop_sequences`;
 * - `reasoning.budgetTokens` / `effort` → `thinking: { type: 'enabled', budget_tokens }` (effort levels map to
 *   `EFFORT_BUDGETS`; −1 → half of `max_tokens`; at least 1024, and a budget not below `max_tokens` becomes half of
 *   it, leaving room for the answer), on models
 *   that think; with thinking on, `temperature`/`top_k` are dropped and `top_p` kept only within 0.95–1, as the API
 *   requires;
 * - `output.responseSchema` (or an OpenAI `json_schema` response format) → `output_config.format` (native
 *   structured output, schema closed by `toAnthropicSchema`);
 * - `customParams` merged verbatim into the body, except `citations: true`, which enables citations on every
 *   document (`file`) block.
 * Penalties, seed, visual and safety settings, JSON mode without a schema and non-text modalities are
 * reported as warnings. Never mutates `config`.
 */
export function mapAnthropicConfig(
  config: LLMGenerationConfig,
  model: AnthropicConfigModel,
): Mapped<AnthropicConfigFields> {
  const warnings: string[] = [];
  const core = config.core ?? {};
  const maxTokens = core.maxTokens ?? model.defaults.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  const out: AnthropicConfigFields = { max_tokens: maxTokens, citations: false, custom: {} };

  const thinking = mapThinking(config.reasoning, model, maxTokens, warnings);
  if (thinking != null) out.thinking = thinking;
  const thinkingOn = thinking?.type === 'enabled';

  if (core.temperature != null) {
    if (thinkingOn && core.temperature !== 1) {
      warnings.push('Anthropic: temperature cannot be changed while thinking; ignored');
    } else if (core.temperature > 1) {
      warnings.push(`Anthropic temperature is 0–1; ${core.temperature} sent as 1`);
      out.temperature = 1;
    } else out.temperature = core.temperature;
  }
  if (core.topP != null) {
    if (thinkingOn && core.topP < 0.95)
      warnings.push('Anthropic: topP must be 0.95–1 while thinking; ignored');
    else out.top_p = core.topP;
  }
  if (core.topK != null) {
    if (thinkingOn) warnings.push('Anthropic: topK cannot be set while thinking; ignored');
    else out.top_k = core.topK;
  }
  const stop = core.stop == null ? [] : typeof core.stop === 'string' ? [core.stop] : [...core.stop];
  if (stop.length > 0) out.stop_sequences = stop;
  for (const field of ['frequencyPenalty', 'presencePenalty', 'repetitionPenalty', 'seed'] as const) {
    if (core[field] != null) warnings.push(`Anthropic does not support ${field}; ignored`);
  }

  const format = mapOutput(config, warnings);
  if (format != null) out.output_config = { format };
  if (config.visual != null) {
    for (const [field, value] of Object.entries(config.visual)) {
      if (value != null) warnings.push(`Anthropic does not support visual.${field}; ignored`);
    }
  }
  if (config.safety?.safetySettings != null) {
    warnings.push('Anthropic does not take safety settings; safety.safetySettings ignored');
  }
  for (const [key, value] of Object.entries(config.customParams ?? {})) {
    if (key === 'citations') {
      out.citations = value === true || (isRecord(value) && value.enabled === true);
    } else out.custom[key] = value;
  }
  return { value: out, warnings };
}

function mapThinking(
  reasoning: ReasoningConfig | undefined,
  model: AnthropicConfigModel,
  maxTokens: number,
  warnings: string[],
): AnthropicThinking | undefined {
  if (reasoning == null) return undefined;
  const { effort, budgetTokens, showThoughts } = reasoning;
  if (effort == null && budgetTokens == null) {
    if (showThoughts === true) {
      warnings.push('Anthropic thinks only with reasoning.budgetTokens or effort; showThoughts ignored');
    }
    return undefined;
  }
  if (model.capabilities.reasoningMode === 'none') {
    warnings.push(`${model.fullName} does not think; reasoning settings ignored`);
    return undefined;
  }
  if (showThoughts === false)
    warnings.push('Anthropic always returns its thinking blocks; showThoughts ignored');
  let budget: number;
  if (budgetTokens != null) {
    if (effort != null)
      warnings.push('Anthropic takes a thinking budget: effort ignored (budgetTokens given)');
    if (budgetTokens === 0) return undefined;
    if (budgetTokens === -1) budget = Math.floor(maxTokens / 2);
    else if (budgetTokens > 0 && budgetTokens < 1) budget = Math.floor(budgetTokens * BUDGET_SCALE);
    else budget = Math.trunc(budgetTokens);
  } else budget = EFFORT_BUDGETS[effort as ReasoningEffort];

  if (maxTokens <= MIN_THINKING_BUDGET) {
    warnings.push(
      `Anthropic thinking needs max_tokens above ${MIN_THINKING_BUDGET} (got ${maxTokens}); thinking not enabled`,
    );
    return undefined;
  }
  if (budget < MIN_THINKING_BUDGET) {
    warnings.push(
      `Anthropic thinking budgets start at ${MIN_THINKING_BUDGET}; ${budget} sent as ${MIN_THINKING_BUDGET}`,
    );
    budget = MIN_THINKING_BUDGET;
  } else if (budget >= maxTokens) {
    // Thinking counts against max_tokens: half of it keeps room for the answer.
    const kept = Math.max(MIN_THINKING_BUDGET, Math.floor(maxTokens / 2));
    warnings.push(
      `Anthropic thinking budget must be below max_tokens (${maxTokens}); ${budget} sent as ${kept} (raise maxTokens for more)`,
    );
    budget = kept;
  }
  return { type: 'enabled', budget_tokens: budget };
}

function mapOutput(
  config: LLMGenerationConfig,
  warnings: string[],
): AnthropicOutputConfig['format'] | undefined {
  const output = config.output;
  if (output == null) return undefined;
  let schema: JsonSchema | undefined = output.responseSchema;
  const format = output.responseFormat;
  if (schema == null && isRecord(format)) {
    const jsonSchema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    if (format.type === 'json_schema' && isRecord(jsonSchema)) schema = jsonSchema;
    else warnings.push('Anthropic ignores an OpenAI response_format object without a JSON schema');
  }
  const mime = output.responseMimeType;
  if (schema == null && (format === 'json' || mime === 'application/json')) {
    warnings.push('Anthropic has no JSON mode without a schema; give output.responseSchema (JSON ignored)');
  } else if (mime != null && mime !== 'application/json' && mime !== 'text/plain') {
    warnings.push(`Anthropic does not take responseMimeType ${mime}; ignored`);
  }
  if (output.responseModalities?.some((modality) => modality !== 'TEXT') === true) {
    warnings.push('Anthropic answers with text only; responseModalities ignored');
  }
  if (schema == null) return undefined;
  if (hasOpenObjects(schema)) {
    warnings.push(
      'Anthropic native output closes every object: open maps (records) in responseSchema come back empty',
    );
  }
  return { type: 'json_schema', schema: toAnthropicSchema(schema) };
}
