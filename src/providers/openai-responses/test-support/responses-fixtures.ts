/**
 * Spec-shaped Responses API objects for tests (`Response`, output items, stream events), built after
 * `fixtures/specs/openai-openapi.yaml`; the tests validate them against the spec before use.
 */

export function reasoningItem(id: string, summaries: string[]) {
  return {
    type: 'reasoning',
    id,
    summary: summaries.map((text) => ({ type: 'summary_text', text })),
    status: 'completed',
  };
}

export function messageItem(id: string, text: string) {
  return {
    type: 'message',
    id,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
}

export function refusalItem(id: string, refusal: string) {
  return {
    type: 'message',
    id,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'refusal', refusal }],
  };
}

export function functionCallItem(id: string, callId: string, name: string, args: string) {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status: 'completed' };
}

export const USAGE = {
  input_tokens: 120,
  input_tokens_details: { cached_tokens: 64, cache_write_tokens: 0 },
  output_tokens: 80,
  output_tokens_details: { reasoning_tokens: 48 },
  total_tokens: 200,
};

/** A complete `Response` object; an override set to `undefined` removes the field. */
export function specResponse(output: unknown[], overrides: Record<string, unknown> = {}) {
  const response: Record<string, unknown> = {
    id: 'resp_0123',
    object: 'response',
    created_at: 1_767_000_000,
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: null,
    model: 'gpt-5-mini-2025-08-07',
    output,
    parallel_tool_calls: true,
    metadata: {},
    tool_choice: 'auto',
    tools: [],
    temperature: 1,
    top_p: 1,
    usage: USAGE,
    ...overrides,
  };
  for (const [key, value] of Object.entries(response)) if (value === undefined) delete response[key];
  return response;
}
