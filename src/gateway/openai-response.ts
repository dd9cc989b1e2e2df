import type { FinishReason, LLMResponse, LLMToolCall, LLMUsage } from '../spec/index.js';

/** OpenAI `finish_reason` of a response: `tool_calls` whenever calls came back (some providers say `stop`). */
export function finishReasonOf(response: LLMResponse): string {
  if (response.toolCalls.length > 0) return 'tool_calls';
  return openaiFinish(response.finishReason);
}

function openaiFinish(reason: FinishReason): string {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'error':
    case 'other':
      return 'stop';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

/** OpenAI `usage` of a chat completion. */
export function usageJson(usage: LLMUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

/** One OpenAI tool call; the arguments exactly as the provider sent them. */
export function toolCallJson(call: LLMToolCall): Record<string, unknown> {
  return {
    id: call.id,
    type: 'function',
    function: {
      name: call.name,
      arguments: call.rawArguments !== '' ? call.rawArguments : JSON.stringify(call.arguments),
    },
  };
}

/** Images an answer produced, as OpenRouter-style `images` entries (data URLs, or the provider's URL). */
export function imagesJson(response: LLMResponse): Record<string, unknown>[] {
  return response.images.map((image) => ({
    type: 'image_url',
    image_url: {
      url:
        image.data.byteLength > 0
          ? `data:${image.mimeType};base64,${Buffer.from(image.data).toString('base64')}`
          : (image.url ?? ''),
    },
  }));
}

/**
 * `LLMResponse` → an OpenAI `chat.completion` (one choice): text (`null` with tool calls and no text),
 * `tool_calls`, `reasoning_content` (DeepSeek's field, read by most OpenAI-compatible clients), `images`,
 * `finish_reason`, `usage`. `model` is the `"Provider/model"` that answered.
 */
export function chatCompletion(response: LLMResponse, id: string, created: number): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: response.text === '' && response.toolCalls.length > 0 ? null : response.text,
    refusal: null,
  };
  if (response.toolCalls.length > 0) message.tool_calls = response.toolCalls.map(toolCallJson);
  if (response.thoughtText != null && response.thoughtText !== '')
    message.reasoning_content = response.thoughtText;
  if (response.images.length > 0) message.images = imagesJson(response);
  const completion: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(response) }],
  };
  if (response.usage != null) completion.usage = usageJson(response.usage);
  return completion;
}
