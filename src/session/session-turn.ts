import { checkMessages, toUserMessage } from '../client/normalize-input.js';
import type { ConfigBuilderLike } from '../client/options.js';
import { LLMError } from '../errors/llm-error.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import type { LLMGenerationConfig, LLMMessage, LLMResponse, MessageInput } from '../spec/index.js';
import { renderTemplate } from './render-template.js';

/** What a session call accepts as the new turn: one input, or several messages (e.g. tool results). */
export type SessionInput = MessageInput | LLMMessage[];

/**
 * The messages of the new turn, validated; system messages are refused (use `instruction`). `path` names
 * the input in errors (`input`, `input[2]`).
 */
export function newTurnOf(input: SessionInput, path = 'input'): LLMMessage[] {
  const isMessages =
    Array.isArray(input) &&
    input.length > 0 &&
    typeof input[0] === 'object' &&
    input[0] != null &&
    'role' in input[0];
  const messages = isMessages ? checkMessages(input, path) : [toUserMessage(input as MessageInput, path)];
  messages.forEach((message, index) => {
    const where = isMessages ? `${path}[${index}]` : path;
    if (message.role === 'system') {
      throw new LLMError(
        'INVALID_PARAMETER',
        `${where}: a session turn cannot be a system message; use \`instruction\``,
        {
          details: { path: where },
        },
      );
    }
    if (
      Array.isArray(message.content) &&
      message.content.length === 0 &&
      (message.toolCalls?.length ?? 0) === 0
    ) {
      throw new LLMError('INVALID_PARAMETER', `${where}: the message has no content`, {
        details: { path: where },
      });
    }
  });
  return messages;
}

/** The system instruction of one call: rendered when template variables are given, else verbatim. */
export function instructionOf(
  instruction: string | undefined,
  sessionVars: Record<string, unknown> | undefined,
  callVars: Record<string, unknown> | undefined,
): LLMMessage | undefined {
  if (instruction == null) return undefined;
  if (typeof instruction !== 'string') {
    throw new LLMError('INVALID_PARAMETER', 'instruction: must be a string', {
      details: { path: 'instruction' },
    });
  }
  if (sessionVars === undefined && callVars === undefined) return { role: 'system', content: instruction };
  return { role: 'system', content: renderTemplate(instruction, { ...sessionVars, ...callVars }) };
}

function built(config: LLMGenerationConfig | ConfigBuilderLike | undefined): LLMGenerationConfig | undefined {
  if (config == null) return undefined;
  const build = (config as Partial<ConfigBuilderLike>).build;
  return typeof build === 'function' ? build.call(config) : (config as LLMGenerationConfig);
}

/** The session's config with the call's merged over it (builders built; inputs never mutated). */
export function mergedConfig(
  session: LLMGenerationConfig | ConfigBuilderLike | undefined,
  call: LLMGenerationConfig | ConfigBuilderLike | undefined,
): LLMGenerationConfig | undefined {
  const base = built(session);
  const override = built(call);
  if (base === undefined || override === undefined) return override ?? base;
  return mergeGenerationConfig(base, override);
}

/**
 * The messages a call added, to be stored: the transcript (tool rounds, then the final answer), else the
 * answer alone. Assistant turns without `model` get the response's, so thought signatures are later replayed
 * only to the provider that made them.
 */
export function addedMessages(response: LLMResponse, transcript: LLMMessage[] | undefined): LLMMessage[] {
  const answer: LLMMessage = response.message ?? { role: 'assistant', content: response.text };
  const added = transcript != null && transcript.length > 0 ? transcript : [answer];
  return added.map((message) =>
    message.role === 'assistant' && message.model == null ? { ...message, model: response.model } : message,
  );
}

/**
 * The assistant turn stored for a structured answer: the answer as it came (thought signatures kept), but a
 * `tool_call`-strategy answer becomes plain text of its arguments, so no tool call without a result is stored.
 */
export function structuredAnswerOf(response: LLMResponse, value: unknown): LLMMessage {
  const [message] = addedMessages(response, undefined) as [LLMMessage];
  const call = message.toolCalls?.[0];
  if (call === undefined) return message;
  const { toolCalls: _calls, ...rest } = message;
  const text = call.rawArguments !== '' ? call.rawArguments : (JSON.stringify(value) ?? '');
  return { ...rest, content: text };
}
