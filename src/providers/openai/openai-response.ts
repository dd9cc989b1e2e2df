import { randomUUID } from 'node:crypto';
import { LLMError } from '../../errors/llm-error.js';
import { restoreOptionalFields } from '../../schema/optional-paths.js';
import type {
  FinishReason,
  GeneratedImage,
  LLMContentPart,
  LLMToolCall,
  LLMUsage,
  MediaPart,
  ParsedChat,
} from '../../spec/index.js';
import { toolCallArguments } from '../../util/parse-tool-arguments.js';
import { isRecord } from '../../util/safe-json.js';
import { errorFromOpenAIBody, invalidResponse, type OpenAIErrorContext } from './openai-error.js';
import type { OpenAIWireMessage, OpenAIWireToolCallIn } from './openai-wire.js';

export interface OpenAIParseContext extends OpenAIErrorContext {
  /** Tool name → optional-field paths of tools sent strict: their `null`s are turned back into absent. */
  strictOptionalPaths?: ReadonlyMap<string, string[]>;
}

/** Everything one answer carried, before it becomes a `ParsedChat` (shared by JSON and stream parsing). */
export interface OpenAIAnswer {
  text: string;
  thought: string;
  refusal: string;
  /** Gemini compat: the message-level signature when no tool call took it. */
  textSignature?: string;
  toolCalls: LLMToolCall[];
  images: { image: GeneratedImage; part: MediaPart }[];
  rawFinishReason?: string;
  usage?: LLMUsage;
  warnings: string[];
}

/** Parses a chat completion body (`choices[0]`). Throws `CONTENT_FILTERED` for refusals and filtered answers. */
export function parseOpenAIChatResponse(data: unknown, context: OpenAIParseContext): ParsedChat {
  const error = errorFromOpenAIBody(data, context);
  if (error !== undefined) throw error;
  const choice = isRecord(data) && Array.isArray(data.choices) ? data.choices[0] : undefined;
  if (!isRecord(choice)) throw invalidResponse(`${context.provider} returned no choices`, context);
  const message = (isRecord(choice.message) ? choice.message : {}) as OpenAIWireMessage;
  const answer: OpenAIAnswer = {
    text: '',
    thought: '',
    refusal: '',
    toolCalls: [],
    images: [],
    warnings: [],
  };
  readContent(message.content, answer);
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string') answer.thought = reasoning + answer.thought;
  if (typeof message.refusal === 'string') answer.refusal = message.refusal;
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    const toolCall = toolCallFromWire(call, answer.warnings);
    if (toolCall !== undefined) answer.toolCalls.push(toolCall);
  }
  const legacy = message.function_call;
  if (answer.toolCalls.length === 0 && legacy != null && typeof legacy.name === 'string') {
    const raw = legacy.arguments ?? '';
    answer.toolCalls.push(makeToolCall('', legacy.name, raw, undefined, answer.warnings));
  }
  for (const image of Array.isArray(message.images) ? message.images : []) {
    const url = image?.image_url?.url;
    if (typeof url === 'string') answer.images.push(imageFromUrl(url));
  }
  assignMessageSignature(message.extra_content?.google?.thought_signature, answer);
  restoreStrictToolArguments(answer.toolCalls, context.strictOptionalPaths);
  if (typeof choice.finish_reason === 'string') answer.rawFinishReason = choice.finish_reason;
  const usage = parseOpenAIUsage(isRecord(data) ? data.usage : undefined);
  if (usage !== undefined) answer.usage = usage;
  return assembleOpenAIAnswer(answer, context);
}

/** `content` as a string, or as parts (`text`, Mistral `thinking`). */
function readContent(content: OpenAIWireMessage['content'], answer: OpenAIAnswer): void {
  if (typeof content === 'string') {
    answer.text = content;
    return;
  }
  if (!Array.isArray(content)) return;
  const texts: string[] = [];
  const thoughts: string[] = [];
  for (const part of content as unknown[]) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else if (part.type === 'thinking' && Array.isArray(part.thinking)) {
      for (const item of part.thinking)
        if (isRecord(item) && typeof item.text === 'string') thoughts.push(item.text);
    }
  }
  answer.text = texts.join('');
  answer.thought = thoughts.join('');
}

/** A message-level Gemini signature belongs to the first call without one, else to the text. */
export function assignMessageSignature(signature: unknown, answer: OpenAIAnswer): void {
  if (typeof signature !== 'string' || signature === '') return;
  const call = answer.toolCalls.find((candidate) => candidate.thoughtSignature == null);
  if (call !== undefined) call.thoughtSignature = signature;
  else if (answer.toolCalls.length === 0) answer.textSignature = signature;
}

function toolCallFromWire(value: unknown, warnings: string[]): LLMToolCall | undefined {
  if (!isRecord(value)) return undefined;
  const call = value as OpenAIWireToolCallIn;
  if (call.type != null && call.type !== 'function') {
    warnings.push(`tool call of type ${String(call.type)} is not supported; skipped`);
    return undefined;
  }
  const name = call.function?.name;
  if (typeof name !== 'string' || name === '') {
    warnings.push('tool call without a function name; skipped');
    return undefined;
  }
  const args = call.function?.arguments;
  const raw = typeof args === 'string' ? args : args != null ? JSON.stringify(args) : '';
  const id = typeof call.id === 'string' ? call.id : '';
  return makeToolCall(id, name, raw, call.extra_content?.google?.thought_signature, warnings);
}

/** A neutral tool call: a generated id when the provider sent none, parsed (or repaired) arguments. */
export function makeToolCall(
  id: string,
  name: string,
  rawArguments: string,
  thoughtSignature: unknown,
  warnings: string[],
): LLMToolCall {
  const call: LLMToolCall = {
    id: id !== '' ? id : generateToolCallId(),
    name,
    arguments: toolCallArguments(name, rawArguments, warnings),
    rawArguments,
  };
  if (typeof thoughtSignature === 'string' && thoughtSignature !== '')
    call.thoughtSignature = thoughtSignature;
  return call;
}

/** Turns the `null`s of optional fields of strict tools back into absent fields (in place). */
export function restoreStrictToolArguments(
  calls: readonly LLMToolCall[],
  paths: ReadonlyMap<string, string[]> | undefined,
): void {
  if (paths === undefined || paths.size === 0) return;
  for (const call of calls) {
    const optional = paths.get(call.name);
    if (optional !== undefined) restoreOptionalFields(call.arguments, optional);
  }
}

export function generateToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/** An image from a data URL (decoded) or a remote URL (kept by reference). */
export function imageFromUrl(url: string): { image: GeneratedImage; part: MediaPart } {
  const match = /^data:([^;,]+)?(?:;[^,]*)?,/.exec(url);
  if (match === null) {
    return {
      image: { mimeType: 'application/octet-stream', data: new Uint8Array(0), url },
      part: { type: 'image', url },
    };
  }
  const mimeType = match[1] ?? 'image/png';
  const base64 = url.slice(match[0].length);
  const bytes = Buffer.from(base64, 'base64');
  return {
    image: { mimeType, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    part: { type: 'image', mimeType, data: base64 },
  };
}

/** `prompt_tokens` / `completion_tokens` with reasoning and cached-prompt details (OpenAI, DeepSeek). */
export function parseOpenAIUsage(usage: unknown): LLMUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const promptTokens = numberOr(usage.prompt_tokens, 0);
  const completionTokens = numberOr(usage.completion_tokens, 0);
  const result: LLMUsage = {
    promptTokens,
    completionTokens,
    totalTokens: numberOr(usage.total_tokens, promptTokens + completionTokens),
  };
  const completionDetails = isRecord(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : undefined;
  const reasoning = completionDetails?.reasoning_tokens;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  const promptDetails = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : undefined;
  const cached = promptDetails?.cached_tokens ?? usage.prompt_cache_hit_tokens;
  if (typeof cached === 'number') result.cachedTokens = cached;
  return result;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

export function mapOpenAIFinishReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
    case 'error':
      return raw;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

/** Builds the `ParsedChat`; throws `CONTENT_FILTERED` for a refusal or a filtered answer with nothing in it. */
export function assembleOpenAIAnswer(answer: OpenAIAnswer, context: OpenAIParseContext): ParsedChat {
  if (answer.refusal !== '') {
    throw new LLMError('CONTENT_FILTERED', `${context.provider} refused: ${answer.refusal}`, {
      provider: context.provider,
      model: context.model,
      details: { refusal: answer.refusal },
    });
  }
  const empty = answer.text === '' && answer.toolCalls.length === 0 && answer.images.length === 0;
  if (answer.rawFinishReason === 'content_filter' && empty) {
    throw new LLMError(
      'CONTENT_FILTERED',
      `${context.provider} filtered the answer (finish_reason content_filter)`,
      {
        provider: context.provider,
        model: context.model,
        details: { finishReason: 'content_filter' },
      },
    );
  }
  const contentParts: LLMContentPart[] = [];
  if (answer.thought !== '') contentParts.push({ type: 'thought', text: answer.thought });
  if (answer.text !== '') {
    contentParts.push(
      answer.textSignature !== undefined
        ? { type: 'text', text: answer.text, thoughtSignature: answer.textSignature }
        : { type: 'text', text: answer.text },
    );
  }
  for (const { part } of answer.images) contentParts.push(part);
  const parsed: ParsedChat = {
    text: answer.text,
    contentParts,
    toolCalls: answer.toolCalls,
    finishReason: mapOpenAIFinishReason(answer.rawFinishReason),
    images: answer.images.map(({ image }) => image),
    warnings: answer.warnings,
  };
  if (answer.rawFinishReason !== undefined) parsed.rawFinishReason = answer.rawFinishReason;
  if (answer.usage !== undefined) parsed.usage = answer.usage;
  if (answer.thought !== '') parsed.thoughtText = answer.thought;
  if (answer.rawFinishReason === 'content_filter') {
    parsed.warnings.push(`${context.provider} filtered part of the answer (finish_reason content_filter)`);
  }
  return parsed;
}
