import type {
  CoreConfig,
  LLMGenerationConfig,
  Mapped,
  OutputConfig,
  ProviderModel,
  ReasoningConfig,
  ToolChoice,
  VisualConfig,
} from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import type { OpenAIDialectProfile, OpenAIQuirks } from './openai-dialects.js';
import { toOpenAIStrictSchema } from './openai-strict-schema.js';
import { mapOpenAIToolChoice } from './openai-tools.js';

export interface OpenAIConfigContext {
  profile: OpenAIDialectProfile;
  quirks: OpenAIQuirks;
  model: ProviderModel;
  /** Names of the function tools sent with the request (`tool_choice` needs at least one). */
  toolNames: readonly string[];
  /** The call's explicit tool choice; wins over `config.toolConfig`. */
  toolChoice?: ToolChoice;
}

export interface OpenAIConfigFields {
  /** Body fields (without `customParams`, which `applyCustomParams` merges last). */
  fields: Record<string, unknown>;
  /** To add to the system prompt (JSON mode with the schema in the prompt, where `json_schema` is unsupported). */
  systemInstruction?: string;
  /** Optional-field paths of a strict `json_schema` answer (see `restoreOptionalFields`). */
  responseOptionalPaths?: string[];
}

const MAX_OPENAI_STOP = 4;

/** Neutral `LLMGenerationConfig` → chat-completions body fields for one dialect; ignored settings → warnings. */
export function mapOpenAIConfig(
  config: LLMGenerationConfig,
  context: OpenAIConfigContext,
): Mapped<OpenAIConfigFields> {
  const warnings: string[] = [];
  const value: OpenAIConfigFields = { fields: {} };
  const reasoningModel =
    context.profile.reasoningModelRules &&
    !context.quirks.geminiCompat &&
    isOpenAIReasoningModel(context.model);
  if (config.core != null) mapCore(config.core, context, reasoningModel, value.fields, warnings);
  if (config.reasoning != null)
    mapReasoning(config.reasoning, context, reasoningModel, value.fields, warnings);
  if (config.output != null) mapOutput(config.output, context, value, warnings);
  if (config.visual != null) mapVisual(config.visual, context, value.fields, warnings);
  const safety = config.safety?.safetySettings;
  if (safety != null && Object.keys(safety).length > 0) warnings.push(ignored('safetySettings', context));
  for (const tool of config.nativeTools ?? [])
    warnings.push(ignored(`native tool ${tool.provider}.${tool.type}`, context));
  const choice = mapOpenAIToolChoice(
    context.toolChoice,
    config.toolConfig,
    context.toolNames,
    context.profile,
  );
  if (choice.value !== undefined) value.fields.tool_choice = choice.value;
  warnings.push(...choice.warnings);
  return { value, warnings };
}

/** OpenAI reasoning models (o-series, gpt-5 but not gpt-5-chat): by capabilities, else by id. */
export function isOpenAIReasoningModel(model: ProviderModel): boolean {
  if (model.capabilities.reasoningMode === 'effort') return true;
  const id = model.id.slice(model.id.lastIndexOf('/') + 1).toLowerCase();
  return /^(o\d+|gpt-5)(?!.*-chat)/.test(id);
}

/** Merges `customParams` into the body last (verbatim, a string `stop` becomes a list). */
export function applyCustomParams(
  body: Record<string, unknown>,
  customParams: Record<string, unknown> | undefined,
): void {
  if (customParams == null) return;
  for (const key in customParams) {
    const param = customParams[key];
    body[key] = key === 'stop' && typeof param === 'string' ? [param] : param;
  }
}

function ignored(setting: string, context: OpenAIConfigContext): string {
  const where = context.quirks.geminiCompat ? "Gemini's OpenAI-compatible endpoint" : context.profile.name;
  return `${setting} is not supported by ${where}; not sent`;
}

function mapCore(
  core: CoreConfig,
  context: OpenAIConfigContext,
  reasoningModel: boolean,
  fields: Record<string, unknown>,
  warnings: string[],
): void {
  const { profile } = context;
  const sampling: [keyof CoreConfig, string][] = [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
    ['frequencyPenalty', 'frequency_penalty'],
    ['presencePenalty', 'presence_penalty'],
  ];
  for (const [name, field] of sampling) {
    if (core[name] == null) continue;
    if (reasoningModel)
      warnings.push(`${name} is not supported by reasoning model ${context.model.id}; not sent`);
    else fields[field] = core[name];
  }
  if (core.maxTokens != null)
    fields[reasoningModel ? 'max_completion_tokens' : 'max_tokens'] = core.maxTokens;
  if (core.topK != null) {
    if (profile.acceptsTopK) fields.top_k = core.topK;
    else warnings.push(ignored('topK', context));
  }
  if (core.repetitionPenalty != null) {
    if (profile.acceptsRepetitionPenalty) fields.repetition_penalty = core.repetitionPenalty;
    else warnings.push(ignored('repetitionPenalty', context));
  }
  if (core.stop != null) {
    let stop = typeof core.stop === 'string' ? [core.stop] : core.stop;
    if (profile.name === 'openai' && !context.quirks.geminiCompat && stop.length > MAX_OPENAI_STOP) {
      warnings.push(`stop: OpenAI takes at most ${MAX_OPENAI_STOP} sequences; the rest are not sent`);
      stop = stop.slice(0, MAX_OPENAI_STOP);
    }
    if (stop.length > 0) fields.stop = stop;
  }
  if (core.seed != null) fields.seed = core.seed;
}

function mapReasoning(
  reasoning: ReasoningConfig,
  context: OpenAIConfigContext,
  reasoningModel: boolean,
  fields: Record<string, unknown>,
  warnings: string[],
): void {
  const { profile, quirks } = context;
  const { effort, budgetTokens, showThoughts } = reasoning;
  const budget =
    budgetTokens != null && budgetTokens > 0 && budgetTokens < 1
      ? Math.round(budgetTokens * 32768)
      : budgetTokens;
  if (quirks.geminiCompat) {
    // Gemini takes either reasoning_effort or a thinking budget, never both.
    if (budget != null || showThoughts != null) {
      const thinking: Record<string, unknown> = {};
      if (budget != null) thinking.thinking_budget = budget;
      if (showThoughts != null) thinking.include_thoughts = showThoughts;
      fields.extra_body = { google: { thinking_config: thinking } };
      if (effort != null)
        warnings.push('reasoning.effort is not sent together with a thinking budget to Gemini');
    } else if (effort != null) fields.reasoning_effort = effort;
    return;
  }
  switch (profile.reasoningParam) {
    case 'reasoning_effort':
      if (effort != null) {
        if (profile.reasoningModelRules && !reasoningModel) {
          warnings.push(`reasoning.effort: ${context.model.id} is not a reasoning model; not sent`);
        } else fields.reasoning_effort = effort;
      }
      if (budget != null) warnings.push(ignored('reasoning.budgetTokens', context));
      if (showThoughts === true && profile.name === 'openai') {
        warnings.push('reasoning.showThoughts: OpenAI chat completions do not return reasoning text');
      }
      return;
    case 'reasoning-object': {
      const object: Record<string, unknown> = {};
      if (budget === 0) object.enabled = false;
      else if (budget != null && budget > 0) object.max_tokens = budget;
      else if (effort != null) object.effort = effort;
      else if (budget != null) object.enabled = true;
      if (showThoughts === false) object.exclude = true;
      if (Object.keys(object).length > 0) fields.reasoning = object;
      return;
    }
    case 'thinking-type':
      if (budget === 0 || effort === 'minimal') fields.thinking = { type: 'disabled' };
      else if (effort != null || budget != null) fields.thinking = { type: 'enabled' };
      if (showThoughts === false)
        warnings.push(`reasoning.showThoughts: ${profile.name} returns reasoning text anyway`);
      return;
    case 'none':
      if (effort != null) warnings.push(ignored('reasoning.effort', context));
      if (budget != null) warnings.push(ignored('reasoning.budgetTokens', context));
      if (showThoughts === false)
        warnings.push(`reasoning.showThoughts: ${profile.name} returns reasoning text anyway`);
      return;
    default: {
      const unreachable: never = profile.reasoningParam;
      throw new Error(`unknown reasoning parameter ${String(unreachable)}`);
    }
  }
}

function mapOutput(
  output: OutputConfig,
  context: OpenAIConfigContext,
  value: OpenAIConfigFields,
  warnings: string[],
): void {
  const { profile, model } = context;
  const format = output.responseFormat;
  const schema = output.responseSchema;
  const mime = output.responseMimeType;
  if (mime != null && mime !== 'application/json' && mime !== 'text/plain')
    warnings.push(ignored(`responseMimeType ${mime}`, context));
  if (isRecord(format)) {
    value.fields.response_format = format;
  } else if (format === 'json' || (format === undefined && (schema != null || mime === 'application/json'))) {
    // tool_call and prompt strategies are carried out by the structured-output layer.
    if ((output.structuredOutputStrategy ?? 'native') === 'native') {
      if (schema == null) value.fields.response_format = { type: 'json_object' };
      else if (profile.jsonSchema && model.capabilities.jsonSchema !== false) {
        const strict = toOpenAIStrictSchema(schema);
        if (!strict.strict)
          warnings.push(`responseSchema cannot be strict (${strict.reason}); sent with strict: false`);
        value.fields.response_format = {
          type: 'json_schema',
          json_schema: { name: 'structured_response', schema: strict.schema, strict: strict.strict },
        };
        if (strict.optionalPaths.length > 0) value.responseOptionalPaths = strict.optionalPaths;
      } else {
        value.fields.response_format = { type: 'json_object' };
        value.systemInstruction = `Reply with a JSON object that matches this JSON Schema:\n${JSON.stringify(schema)}`;
      }
    }
  } else if (schema != null) {
    warnings.push(`responseSchema is ignored with responseFormat "${String(format)}"`);
  }
  const modalities =
    output.responseModalities ?? (format === 'multimodal' ? (['TEXT', 'IMAGE'] as const) : undefined);
  if (modalities != null) mapModalities(modalities, context, value.fields, warnings);
}

function mapModalities(
  requested: readonly ('TEXT' | 'IMAGE' | 'AUDIO')[],
  context: OpenAIConfigContext,
  fields: Record<string, unknown>,
  warnings: string[],
): void {
  const supported = context.quirks.geminiCompat
    ? ['text', 'image', 'audio']
    : context.profile.outputModalities;
  const modalities: string[] = [];
  for (const modality of requested) {
    const lower = modality.toLowerCase() as 'text' | 'image' | 'audio';
    if (supported.includes(lower)) modalities.push(lower);
    else warnings.push(ignored(`${modality} output`, context));
  }
  if (modalities.length === 0 || (modalities.length === 1 && modalities[0] === 'text')) return;
  if (!modalities.includes('text') && context.profile.name === 'openrouter') modalities.push('text');
  fields.modalities = modalities;
  if (modalities.includes('audio') && context.profile.name === 'openai') {
    warnings.push('AUDIO output needs customParams.audio ({ voice, format }) on OpenAI');
  }
}

function mapVisual(
  visual: VisualConfig,
  context: OpenAIConfigContext,
  fields: Record<string, unknown>,
  warnings: string[],
): void {
  const imageConfig: Record<string, unknown> = {};
  for (const key of Object.keys(visual) as (keyof VisualConfig)[]) {
    const setting = visual[key];
    if (setting == null) continue;
    if (context.profile.imageConfig && key === 'aspectRatio') imageConfig.aspect_ratio = setting;
    else if (context.profile.imageConfig && key === 'resolution') imageConfig.image_size = setting;
    else warnings.push(ignored(`visual.${key}`, context));
  }
  if (Object.keys(imageConfig).length > 0) fields.image_config = imageConfig;
}
