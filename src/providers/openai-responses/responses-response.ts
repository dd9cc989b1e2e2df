import type { ProviderErrorContext } from '../../errors/classify-provider-error.js';
import { LLMError } from '../../errors/llm-error.js';
import { restoreOptionalFields } from '../../schema/optional-paths.js';
import type { FinishReason, LLMContentPart, LLMToolCall, LLMUsage, ParsedChat } from '../../spec/index.js';
import { parseToolArguments } from '../../util/parse-tool-arguments.js';
import { isRecord } from '../../util/safe-json.js';
import { invalidResponse, llmErrorFromBody } from './responses-error.js';

/** Who answered (for errors) and how to restore the arguments of tools sent in strict mode. */
export interface ResponsesParseContext extends ProviderErrorContext {
  /** Optional-field paths of strict tools, by tool name (their `null`s become absent fields). */
  strictOptionalPaths?: ReadonlyMap<string, string[]>;
}

/** What the output items of one answer carried, in output order. */
export interface ResponsesAnswer {
  /** Text and thought parts, in order. */
  parts: LLMContentPart[];
  toolCalls: LLMToolCall[];
  /** Refusal texts (the answer is then `CONTENT_FILTERED`). */
  refusals: string[];
  warnings: string[];
}

export function emptyAnswer(): ResponsesAnswer {
  return { parts: [], toolCalls: [], refusals: [], warnings: [] };
}

/**
 * Throws the error a 2xx Responses body really carries: an `error` object (classified by
 * `errorFromBody`), a `failed`/`cancelled` status, or a body that is not a response at all.
 */
export function checkResponsesBody(data: unknown, context: ProviderErrorContext = {}): void {
  if (!isRecord(data)) throw invalidResponse('the Responses API answered with a non-object body', context);
  const error = llmErrorFromBody(data, context);
  if (error != null) throw error;
  const status = data.status;
  if (status === 'failed' || status === 'cancelled') {
    throw invalidResponse(`the response ended with status "${status}"`, context);
  }
  if (status === 'in_progress' || status === 'queued') {
    throw invalidResponse(`the response is still "${status}" (background mode is not supported)`, context);
  }
  if (!Array.isArray(data.output)) throw invalidResponse('the response has no output array', context);
}

/**
 * Parses a Responses API body: `output_text` of message items → text, `function_call` items → tool
 * calls (id = `call_id`), reasoning summaries → thought parts and `thoughtText`, refusals →
 * `CONTENT_FILTERED`, `status: 'incomplete'` → finish reason `length` / `content_filter`.
 */
export function parseResponsesResponse(data: unknown, context: ResponsesParseContext = {}): ParsedChat {
  checkResponsesBody(data, context);
  const body = data as Record<string, unknown>;
  const answer = emptyAnswer();
  for (const item of body.output as unknown[]) addOutputItem(answer, item, context.strictOptionalPaths);
  return finishAnswer(answer, body, context);
}

/** Adds one output item (`message`, `function_call`, `reasoning`; others are reported and skipped). */
export function addOutputItem(
  answer: ResponsesAnswer,
  item: unknown,
  strictOptionalPaths?: ReadonlyMap<string, string[]>,
): void {
  if (!isRecord(item)) return;
  switch (item.type) {
    case 'message': {
      if (!Array.isArray(item.content)) return;
      for (const content of item.content) {
        if (!isRecord(content)) continue;
        if (content.type === 'output_text' && typeof content.text === 'string') {
          answer.parts.push({ type: 'text', text: content.text });
        } else if (content.type === 'refusal' && typeof content.refusal === 'string') {
          answer.refusals.push(content.refusal);
        }
      }
      return;
    }
    case 'function_call': {
      const call = toolCallOf(item.call_id, item.name, item.arguments, strictOptionalPaths);
      if (call != null) answer.toolCalls.push(call);
      else answer.warnings.push('a function_call output item without call_id or name was skipped');
      return;
    }
    case 'reasoning':
      for (const text of reasoningTexts(item)) answer.parts.push({ type: 'thought', text });
      return;
    default:
      answer.warnings.push(`output item of type "${String(item.type)}" is not supported; ignored`);
  }
}

/** Summary texts of a reasoning item, else its raw reasoning texts (open-weight models). */
function reasoningTexts(item: Record<string, unknown>): string[] {
  const pick = (list: unknown, type: string): string[] =>
    Array.isArray(list)
      ? list
          .filter((c) => isRecord(c) && c.type === type && typeof c.text === 'string')
          .map((c) => c.text as string)
      : [];
  const summary = pick(item.summary, 'summary_text');
  return summary.length > 0 ? summary : pick(item.content, 'reasoning_text');
}

/** A tool call from wire fields (id = `call_id`); `undefined` when the id or name is missing. */
export function toolCallOf(
  callId: unknown,
  name: unknown,
  rawArguments: unknown,
  strictOptionalPaths?: ReadonlyMap<string, string[]>,
): LLMToolCall | undefined {
  if (typeof callId !== 'string' || callId === '' || typeof name !== 'string' || name === '')
    return undefined;
  const raw = typeof rawArguments === 'string' ? rawArguments : '';
  const parsed = parseToolArguments(raw);
  const args = parsed.ok ? parsed.value : {};
  const optional = strictOptionalPaths?.get(name);
  if (optional != null) restoreOptionalFields(args, optional);
  return { id: callId, name, arguments: args, rawArguments: raw };
}

/**
 * Turns the collected output into a `ParsedChat`, with finish reason and usage from the final response
 * object (`status`, `incomplete_details`, `usage`).
 */
export function finishAnswer(
  answer: ResponsesAnswer,
  final: Record<string, unknown>,
  context: ProviderErrorContext = {},
): ParsedChat {
  if (answer.refusals.length > 0) {
    const refusal = answer.refusals.join('\n');
    throw new LLMError('CONTENT_FILTERED', `the model refused: ${refusal}`, {
      ...(context.provider != null ? { provider: context.provider } : {}),
      ...(context.model != null ? { model: context.model } : {}),
      details: { refusal },
    });
  }
  const texts: string[] = [];
  const thoughts: string[] = [];
  for (const part of answer.parts) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'thought') thoughts.push(part.text);
  }
  let finishReason: FinishReason = answer.toolCalls.length > 0 ? 'tool_calls' : 'stop';
  let rawFinishReason = typeof final.status === 'string' ? final.status : undefined;
  if (final.status === 'incomplete') {
    const reason = isRecord(final.incomplete_details) ? final.incomplete_details.reason : undefined;
    rawFinishReason = typeof reason === 'string' ? reason : 'incomplete';
    finishReason =
      reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content_filter' : 'other';
    if (finishReason === 'content_filter' && texts.length === 0 && answer.toolCalls.length === 0) {
      throw new LLMError('CONTENT_FILTERED', 'the answer was stopped by the content filter', {
        ...(context.provider != null ? { provider: context.provider } : {}),
        ...(context.model != null ? { model: context.model } : {}),
        details: { incompleteReason: reason },
      });
    }
  }
  const parsed: ParsedChat = {
    text: texts.join(''),
    contentParts: answer.parts,
    toolCalls: answer.toolCalls,
    finishReason,
    images: [],
    warnings: answer.warnings,
  };
  if (rawFinishReason != null) parsed.rawFinishReason = rawFinishReason;
  if (thoughts.length > 0) parsed.thoughtText = thoughts.join('\n\n');
  const usage = usageOf(final.usage);
  if (usage != null) parsed.usage = usage;
  return parsed;
}

/** `input_tokens`, `output_tokens`, `output_tokens_details.reasoning_tokens`, `input_tokens_details.cached_tokens`. */
export function usageOf(usage: unknown): LLMUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = typeof usage.input_tokens === 'number' ? usage.input_tokens : undefined;
  const output = typeof usage.output_tokens === 'number' ? usage.output_tokens : undefined;
  if (input == null && output == null) return undefined;
  const result: LLMUsage = {
    promptTokens: input ?? 0,
    completionTokens: output ?? 0,
    totalTokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : (input ?? 0) + (output ?? 0),
  };
  const reasoning = isRecord(usage.output_tokens_details)
    ? usage.output_tokens_details.reasoning_tokens
    : undefined;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  const cached = isRecord(usage.input_tokens_details) ? usage.input_tokens_details.cached_tokens : undefined;
  if (typeof cached === 'number') result.cachedTokens = cached;
  return result;
}
