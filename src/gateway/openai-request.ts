import type {
  FunctionToolSpec,
  LLMGenerationConfig,
  LLMMessage,
  Mapped,
  ReasoningEffort,
  ToolChoice,
} from '../spec/index.js';
import { toLLMMessages } from './openai-messages.js';
import { toFunctionTools, toToolChoice } from './openai-tools.js';
import { invalid, isObject, kindOf, numberAt, objectAt, stringAt } from './request-checks.js';

/** A chat completions request, ready for `llm.generate` / `llm.stream`. */
export interface GatewayChatRequest {
  /** `"Provider/model"`, a route name, or a fallback list — passed to the library unchanged. */
  model: string | string[];
  messages: LLMMessage[];
  tools?: FunctionToolSpec[];
  toolChoice?: ToolChoice;
  config: LLMGenerationConfig;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with `usage` and no choices. */
  includeUsage: boolean;
}

const EFFORTS = new Set<string>(['minimal', 'low', 'medium', 'high']);
const MODALITIES: Record<string, 'TEXT' | 'IMAGE' | 'AUDIO'> = {
  text: 'TEXT',
  image: 'IMAGE',
  audio: 'AUDIO',
};

/** The request's `model`: a non-empty string, or a non-empty array of them (an ad-hoc fallback chain). */
export function modelOf(value: unknown): string | string[] {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (Array.isArray(value) && value.length > 0) {
    return value.map((item, index) => {
      if (typeof item !== 'string' || item.trim() === '')
        throw invalid(`model[${index}]`, 'must be a model name');
      return item.trim();
    });
  }
  throw invalid('model', `must be "Provider/model", a route name, or a list of them (got ${kindOf(value)})`);
}

function stopOf(value: unknown): string | string[] | undefined {
  if (value == null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw invalid('stop', 'must be a string or an array of strings');
}

function coreOf(body: Record<string, unknown>): NonNullable<LLMGenerationConfig['core']> | undefined {
  const core: NonNullable<LLMGenerationConfig['core']> = {};
  const temperature = numberAt(body.temperature, 'temperature', { min: 0, max: 2 });
  const topP = numberAt(body.top_p, 'top_p', { min: 0, max: 1 });
  const maxTokens =
    numberAt(body.max_completion_tokens, 'max_completion_tokens', { min: 1, integer: true }) ??
    numberAt(body.max_tokens, 'max_tokens', { min: 1, integer: true });
  const seed = numberAt(body.seed, 'seed', { integer: true });
  const frequencyPenalty = numberAt(body.frequency_penalty, 'frequency_penalty', { min: -2, max: 2 });
  const presencePenalty = numberAt(body.presence_penalty, 'presence_penalty', { min: -2, max: 2 });
  const stop = stopOf(body.stop);
  if (temperature != null) core.temperature = temperature;
  if (topP != null) core.topP = topP;
  if (maxTokens != null) core.maxTokens = maxTokens;
  if (seed != null) core.seed = seed;
  if (frequencyPenalty != null) core.frequencyPenalty = frequencyPenalty;
  if (presencePenalty != null) core.presencePenalty = presencePenalty;
  if (stop != null) core.stop = stop;
  return Object.keys(core).length > 0 ? core : undefined;
}

/** `response_format` → `output`: JSON mode, or JSON with a schema (each provider maps it natively). */
function outputOf(value: unknown): LLMGenerationConfig['output'] | undefined {
  if (value == null) return undefined;
  const format = objectAt(value, 'response_format');
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { responseFormat: 'json' };
    case 'json_schema': {
      const spec = objectAt(format.json_schema, 'response_format.json_schema');
      const schema = objectAt(spec.schema, 'response_format.json_schema.schema');
      return { responseFormat: 'json', responseSchema: schema };
    }
    default:
      throw invalid('response_format.type', 'must be "text", "json_object" or "json_schema"');
  }
}

function modalitiesOf(value: unknown, warnings: string[]): ('TEXT' | 'IMAGE' | 'AUDIO')[] | undefined {
  if (value == null) return undefined;
  if (!Array.isArray(value)) throw invalid('modalities', 'must be an array such as ["text", "image"]');
  const out = value.map((item, index) => {
    const mapped = typeof item === 'string' ? MODALITIES[item] : undefined;
    if (mapped == null) throw invalid(`modalities[${index}]`, 'must be "text", "image" or "audio"');
    return mapped;
  });
  if (out.length === 1 && out[0] === 'TEXT') return undefined;
  if (out.includes('AUDIO')) warnings.push('audio output is not relayed by the gateway');
  return out;
}

function configOf(body: Record<string, unknown>, warnings: string[]): LLMGenerationConfig {
  const config: LLMGenerationConfig = {};
  const core = coreOf(body);
  if (core != null) config.core = core;
  if (body.reasoning_effort != null) {
    const effort = stringAt(body.reasoning_effort, 'reasoning_effort');
    if (EFFORTS.has(effort)) config.reasoning = { effort: effort as ReasoningEffort };
    else if (effort !== 'none')
      throw invalid('reasoning_effort', 'must be one of minimal, low, medium, high');
  }
  const output = outputOf(body.response_format);
  const modalities = modalitiesOf(body.modalities, warnings);
  if (output != null || modalities != null)
    config.output = { ...output, ...(modalities != null ? { responseModalities: modalities } : {}) };
  return config;
}

/**
 * An OpenAI `POST /v1/chat/completions` body → a library call: messages (every role, image/audio/file parts),
 * function `tools` (never executed: calls go back to the client), `tool_choice`, `response_format`
 * (`json_object`, `json_schema` → `output.responseFormat`/`responseSchema`), sampling settings,
 * `reasoning_effort`, `modalities`, `stream` and `stream_options.include_usage`. `n` other than 1 is refused;
 * `user`, `metadata`, `store`, `logprobs`, `parallel_tool_calls` and unknown fields are ignored.
 * @throws LLMError `INVALID_PARAMETER` naming the field.
 */
export function parseChatRequest(body: unknown): Mapped<GatewayChatRequest> {
  if (!isObject(body)) throw invalid('body', `must be a JSON object (got ${kindOf(body)})`);
  const model = modelOf(body.model);
  if (body.n != null && body.n !== 1)
    throw invalid('n', 'only n: 1 is supported (send several requests instead)');
  if (body.stream != null && typeof body.stream !== 'boolean') throw invalid('stream', 'must be a boolean');
  const messages = toLLMMessages(body.messages);
  const warnings = [...messages.warnings];
  const request: GatewayChatRequest = {
    model,
    messages: messages.value,
    config: configOf(body, warnings),
    stream: body.stream === true,
    includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
  };
  const tools = toFunctionTools(body.tools);
  const toolChoice = toToolChoice(body.tool_choice);
  if (tools != null) request.tools = tools;
  if (toolChoice != null) request.toolChoice = toolChoice;
  return { value: request, warnings };
}
