import type {
  FunctionToolSpec,
  LLMGenerationConfig,
  Mapped,
  ProviderModel,
  ToolChoice,
} from '../../spec/index.js';
import { isOpenAIReasoningModel } from '../openai/openai-config.js';
import { toOpenAIStrictSchema } from '../openai/openai-strict-schema.js';
import { nativeToolWarning } from './responses-tools.js';
import type { ResponsesImageDetail, ResponsesTextFormat, ResponsesToolChoice } from './responses-wire.js';

/** The smallest `max_output_tokens` the API accepts. */
const MIN_OUTPUT_TOKENS = 16;
/** Name of the `json_schema` format when the caller gives none. */
const SCHEMA_NAME = 'structured_response';

/** Body fields derived from the generation config (everything but `model`, `input` and `tools`). */
export type ResponsesConfigFields = Record<string, unknown>;

/** The mapped fields, plus the instruction JSON-object mode needs when a schema cannot be sent natively. */
export interface ResponsesConfigMapping {
  fields: ResponsesConfigFields;
  /** Appended to `instructions` (a schema asked for on a model without native JSON-schema output). */
  jsonInstruction?: string;
}

/**
 * Maps a generation config to Responses body fields: `max_output_tokens`, `temperature`, `top_p`
 * (not for reasoning models, which reject them), `reasoning: { effort, summary }` (reasoning models
 * only), `text.format`. Settings the Responses API has no field for become warnings. `customParams` are not applied here (the dialect merges them last, verbatim).
 */
export function mapResponsesConfig(
  config: LLMGenerationConfig,
  model: ProviderModel,
): Mapped<ResponsesConfigMapping> {
  const body: ResponsesConfigFields = {};
  const mapping: ResponsesConfigMapping = { fields: body };
  const warnings: string[] = [];
  const core = config.core ?? {};

  if (core.maxTokens != null) {
    if (core.maxTokens < MIN_OUTPUT_TOKENS) {
      warnings.push(`maxTokens ${core.maxTokens} raised to ${MIN_OUTPUT_TOKENS}, the Responses API minimum`);
    }
    body.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, Math.floor(core.maxTokens));
  }
  const reasoningModel = isOpenAIReasoningModel(model);
  for (const [name, field] of [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
  ] as const) {
    if (core[name] == null) continue;
    if (reasoningModel) warnings.push(`${name} is not supported by reasoning model ${model.id}; not sent`);
    else body[field] = core[name];
  }
  const unsupported: [keyof typeof core, string][] = [
    ['topK', 'topK'],
    ['frequencyPenalty', 'frequencyPenalty'],
    ['presencePenalty', 'presencePenalty'],
    ['repetitionPenalty', 'repetitionPenalty'],
    ['stop', 'stop'],
    ['seed', 'seed'],
  ];
  for (const [field, label] of unsupported) {
    if (core[field] != null) warnings.push(`${label} is not supported by the OpenAI Responses API; ignored`);
  }

  mapReasoning(config, model, reasoningModel, body, warnings);
  mapOutput(config, model, mapping, warnings);

  const visual = config.visual;
  if (visual != null) {
    for (const key of ['aspectRatio', 'resolution', 'quality', 'background', 'style', 'count'] as const) {
      if (visual[key] != null) warnings.push(`visual.${key} applies to image models; ignored for chat`);
    }
  }
  if (config.safety?.safetySettings != null) {
    warnings.push('safetySettings are Gemini settings; ignored by the OpenAI Responses API');
  }
  for (const native of config.nativeTools ?? [])
    warnings.push(nativeToolWarning(native.type, native.provider));
  return { value: mapping, warnings };
}

function mapReasoning(
  config: LLMGenerationConfig,
  model: ProviderModel,
  reasoningModel: boolean,
  body: ResponsesConfigFields,
  warnings: string[],
): void {
  const reasoning = config.reasoning;
  if (reasoning == null) return;
  const wire: Record<string, unknown> = {};
  if (reasoning.effort != null) wire.effort = reasoning.effort;
  if (reasoning.showThoughts === true) wire.summary = 'auto';
  if (reasoning.budgetTokens != null) {
    warnings.push(
      'reasoning.budgetTokens is not supported by the OpenAI Responses API (use effort); ignored',
    );
  }
  if (Object.keys(wire).length === 0) return;
  if (!reasoningModel) {
    warnings.push(`${model.id} is not a reasoning model; reasoning settings not sent`);
    return;
  }
  body.reasoning = wire;
}

function mapOutput(
  config: LLMGenerationConfig,
  model: ProviderModel,
  mapping: ResponsesConfigMapping,
  warnings: string[],
): void {
  const body = mapping.fields;
  const output = config.output;
  if (output == null) return;
  for (const modality of output.responseModalities ?? []) {
    if (modality !== 'TEXT')
      warnings.push(`response modality ${modality} is not supported on the Responses API`);
  }
  const format = output.responseFormat;
  if (format === 'multimodal')
    warnings.push('responseFormat multimodal is not supported on the Responses API');
  if (typeof format === 'object' && format !== null) {
    body.text = { format: fromChatResponseFormat(format) };
    return;
  }
  const schema = output.responseSchema;
  const wantsJson =
    format === 'json' ||
    (format == null && (schema != null || output.responseMimeType === 'application/json'));
  if (!wantsJson && schema != null) {
    warnings.push(`responseSchema is ignored with responseFormat "${String(format)}"`);
  }
  if (output.responseMimeType != null && !/^(application\/json|text\/plain)$/.test(output.responseMimeType)) {
    warnings.push(
      `responseMimeType ${output.responseMimeType} is not supported on the Responses API; ignored`,
    );
  }
  const strategy = output.structuredOutputStrategy ?? 'native';
  if (!wantsJson || strategy !== 'native') return;
  if (schema != null && !model.capabilities.jsonSchema) {
    warnings.push(`${model.id} has no native JSON-schema output; asked for a JSON object instead`);
    body.text = { format: { type: 'json_object' } };
    mapping.jsonInstruction = `Reply with a JSON object that matches this JSON Schema:\n${JSON.stringify(schema)}`;
    return;
  }
  body.text = { format: jsonFormat(schema, warnings) };
}

function jsonFormat(schema: Record<string, unknown> | undefined, warnings: string[]): ResponsesTextFormat {
  if (schema == null) return { type: 'json_object' };
  const converted = toOpenAIStrictSchema(schema);
  if (!converted.strict) {
    warnings.push(`responseSchema cannot be strict (${converted.reason}); sent with strict: false`);
  }
  return { type: 'json_schema', name: SCHEMA_NAME, schema: converted.schema, strict: converted.strict };
}

/** A verbatim chat-completions `response_format` object, moved to the flat `text.format` shape. */
function fromChatResponseFormat(format: Record<string, unknown>): ResponsesTextFormat {
  const nested = format.json_schema;
  if (format.type === 'json_schema' && typeof nested === 'object' && nested !== null) {
    return { type: 'json_schema', ...(nested as Record<string, unknown>) };
  }
  return format;
}

/**
 * `tool_choice` from the call's `toolChoice` (wins) or `toolConfig`; only sent with function tools.
 * A forced name the tools do not define is reported.
 */
export function mapResponsesToolChoice(
  config: LLMGenerationConfig,
  toolChoice: ToolChoice | undefined,
  functions: FunctionToolSpec[],
): Mapped<ResponsesToolChoice | undefined> {
  const warnings: string[] = [];
  const names = new Set(functions.map((fn) => fn.name));
  const forced = (name: string): ResponsesToolChoice => {
    if (!names.has(name)) warnings.push(`tool choice names "${name}", which is not among the tools sent`);
    return { type: 'function', name };
  };
  let value: ResponsesToolChoice | undefined;
  if (toolChoice != null) {
    value = typeof toolChoice === 'string' ? toolChoice : forced(toolChoice.name);
  } else {
    const mode = config.toolConfig?.mode;
    const allowed = config.toolConfig?.allowedFunctionNames ?? [];
    if (mode === 'NONE') value = 'none';
    else if (mode === 'ANY' && allowed.length === 1) value = forced(allowed[0]!);
    else if (allowed.length > 0) {
      for (const name of allowed) {
        if (!names.has(name))
          warnings.push(`allowedFunctionNames names "${name}", which is not among the tools sent`);
      }
      value = {
        type: 'allowed_tools',
        mode: mode === 'ANY' ? 'required' : 'auto',
        tools: allowed.map((name) => ({ type: 'function', name })),
      };
    } else if (mode === 'ANY') value = 'required';
    else if (mode === 'AUTO') value = 'auto';
  }
  if (value != null && functions.length === 0) {
    if (value !== 'none' && value !== 'auto')
      warnings.push('a tool choice was given without function tools; not sent');
    return { value: undefined, warnings };
  }
  return { value, warnings };
}

/** `visual.mediaResolution` → the `detail` of input images (`auto` when unset). */
export function imageDetailOf(config: LLMGenerationConfig): ResponsesImageDetail {
  const resolution = config.visual?.mediaResolution;
  switch (resolution) {
    case 'LOW':
      return 'low';
    case 'HIGH':
      return 'high';
    case 'MEDIUM':
    case undefined:
      return 'auto';
    default: {
      const unreachable: never = resolution;
      return unreachable;
    }
  }
}
