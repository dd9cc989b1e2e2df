import {
  type ChatDialect,
  type ChatRequestInput,
  type ChatStreamParser,
  type FinishReason,
  LLMError,
  type LLMErrorCode,
  type LLMToolCall,
  type ParsedChat,
  type ProviderDefinition,
  type StreamDelta,
} from '../../index.js';

// The Toy API: POST {apiBase}/v1/generate, key in `x-toy-key`.
//   request  { model, system?, messages: [{ role, text, tool_calls?, tool_call_id? }], max_tokens?,
//              tools?: [{ name, description, parameters }], tool_choice?, stream? }
//   response { text, tool_calls?: [{ id, name, arguments }], stop: 'end' | 'length' | 'tool', usage }
//   stream   data: {"delta":"Hel"} … data: {"tool_call":{…}} … data: {"stop":"end","usage":{…}}
//   error    { "error": { "type": "quota_exhausted", "message": "…" } } (any status, or inside a stream)

interface ToyAnswer {
  text?: string;
  tool_calls?: { id: string; name: string; arguments: string }[];
  stop?: string;
  usage?: { input: number; output: number };
  error?: { type?: string; message?: string };
}

const STOPS: Record<string, FinishReason> = { end: 'stop', length: 'length', tool: 'tool_calls' };
const ERRORS: Record<string, LLMErrorCode> = {
  quota_exhausted: 'API_QUOTA_EXCEEDED',
  overloaded: 'API_SERVER_ERROR',
  bad_key: 'API_KEY_INVALID',
};

function toyError(body: ToyAnswer, model: string): LLMError {
  const code = ERRORS[body.error?.type ?? ''] ?? 'API_RESPONSE_INVALID';
  return new LLMError(code, `${model}: ${body.error?.message ?? 'error'}`, { model });
}

function parseJson(text: string, model: string): ToyAnswer {
  try {
    return JSON.parse(text) as ToyAnswer;
  } catch {
    throw new LLMError('API_RESPONSE_INVALID', `${model}: malformed stream event`, { model });
  }
}

function toolCallOf(call: { id: string; name: string; arguments: string }): LLMToolCall {
  let args: Record<string, unknown> = {};
  try {
    args = JSON.parse(call.arguments) as Record<string, unknown>;
  } catch {
    // Unparsable arguments stay in rawArguments; the tool invoker reports them to the model.
  }
  return { id: call.id, name: call.name, arguments: args, rawArguments: call.arguments };
}

function answerOf(body: ToyAnswer, text: string, calls: LLMToolCall[]): ParsedChat {
  const answer: ParsedChat = {
    text,
    contentParts: text === '' ? [] : [{ type: 'text', text }],
    toolCalls: calls,
    finishReason: STOPS[body.stop ?? ''] ?? 'other',
    images: [],
    warnings: [],
  };
  if (body.stop != null) answer.rawFinishReason = body.stop;
  if (body.usage != null) {
    const { input, output } = body.usage;
    answer.usage = { promptTokens: input, completionTokens: output, totalTokens: input + output };
  }
  return answer;
}

/** The Toy chat dialect: pure mapping, no HTTP. */
export function createToyChatDialect(): ChatDialect {
  return {
    buildChatRequest(input: ChatRequestInput) {
      const { model } = input;
      const warnings: string[] = [];
      const system: string[] = [];
      const messages: Record<string, unknown>[] = [];
      for (const message of input.messages) {
        const parts =
          typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
        const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
        if (parts.some((part) => part.type !== 'text'))
          warnings.push('Toy takes text only; media parts dropped');
        if (message.role === 'system') system.push(text);
        else {
          const toy: Record<string, unknown> = { role: message.role, text };
          if (message.toolCallId != null) toy.tool_call_id = message.toolCallId;
          if (message.toolCalls != null) {
            toy.tool_calls = message.toolCalls.map(({ id, name, rawArguments }) => ({
              id,
              name,
              arguments: rawArguments,
            }));
          }
          messages.push(toy);
        }
      }
      const body: Record<string, unknown> = { model: model.id, messages };
      if (system.length > 0) body.system = system.join('\n\n');
      const maxTokens = input.config.core?.maxTokens;
      if (maxTokens != null) body.max_tokens = maxTokens;
      if (input.tools.functions.length > 0) {
        body.tools = input.tools.functions.map(({ name, description, parameters }) => ({
          name,
          description,
          parameters,
        }));
      }
      const choice = input.toolChoice;
      if (choice != null) body.tool_choice = choice === 'required' ? 'any' : choice;
      if (input.tools.providerTools.length > 0) warnings.push('Toy has no native tools; not sent');
      if (input.stream) body.stream = true;
      return {
        value: {
          method: 'POST',
          url: `${model.provider.apiBase}/v1/generate`,
          headers: { 'content-type': 'application/json', ...model.provider.headers },
          body,
          stream: input.stream,
          // An error object inside a 200 is an error, not an empty answer.
          checkBody: (data) => {
            if ((data as ToyAnswer).error != null) throw toyError(data as ToyAnswer, model.fullName);
          },
        },
        warnings,
      };
    },

    parseChatResponse(data) {
      const body = data as ToyAnswer;
      return answerOf(body, body.text ?? '', (body.tool_calls ?? []).map(toolCallOf));
    },

    createStreamParser(input): ChatStreamParser {
      const model = input.model.fullName;
      const pieces: string[] = [];
      const calls: LLMToolCall[] = [];
      let last: ToyAnswer | undefined;
      return {
        push(data, _event, emit: (delta: StreamDelta) => void) {
          const event = parseJson(data, model);
          if (event.error != null) throw toyError(event, model);
          const delta = (event as { delta?: string }).delta;
          if (delta != null) {
            pieces.push(delta);
            emit({ type: 'text-delta', text: delta });
          }
          const call = (event as { tool_call?: { id: string; name: string; arguments: string } }).tool_call;
          if (call != null) {
            const toolCall = toolCallOf(call);
            calls.push(toolCall);
            emit({ type: 'tool-call', toolCall });
          }
          if (event.stop != null) last = event;
        },
        finish(trailing) {
          if (trailing.trim() !== '') throw toyError(parseJson(trailing, model), model);
          // No stop event: the stream was cut, never a silent truncation.
          if (last == null)
            throw new LLMError('API_RESPONSE_INVALID', `${model}: stream ended early`, { model });
          return answerOf(last, pieces.join(''), calls);
        },
      };
    },
  };
}

/** Everything the library needs to know about the Toy API. */
export const toyProvider: ProviderDefinition = {
  apiType: 'toy',
  defaultApiBase: 'https://api.toy.example',
  auth: { scheme: 'header', name: 'x-toy-key' },
  headers: { 'toy-version': '2024-01-01' },
  chat: () => createToyChatDialect(),
  // No JSON-schema mode: structured output goes through a forced tool call.
  structuredOutput: { fallback: 'tool_call' },
  // A 400 with `quota_exhausted` is a quota problem, not a bad parameter.
  classifyError: (failure) => {
    const type = (failure.body as ToyAnswer | undefined)?.error?.type;
    return type != null ? ERRORS[type] : undefined;
  },
};
