import { LLMError } from '../errors/llm-error.js';
import { geminiCodeExecution, geminiGoogleSearch } from '../generation/native-tools.js';
import type { LLMMessage, LLMStream, MessageInput, StreamEvent, ToolInput } from '../spec/index.js';
import { CHAT_OPTION_KEYS, checkCallOptions } from './call-options-check.js';
import type { CallScope } from './call-scope.js';
import type { ClientContext } from './client-context.js';
import { LLMStreamImpl } from './llm-stream.js';
import { buildTurn, checkMessages } from './normalize-input.js';
import type { ChatOptions } from './options.js';
import { type InternalChatOptions, prepareChat } from './prepare-chat.js';
import { routedChat, routedStream } from './routed-chat.js';
import { type ChatOutcome, runChat, streamChat } from './run-chat.js';

/** The instruction of `llm.search` / `ai.search` when neither the call nor the session has one. */
export const DEFAULT_SEARCH_INSTRUCTION =
  'You are an expert at finding and synthesising information. Use the available search tools to find the most relevant information for the query, then summarise it and answer.';

/** `llm.chat` plus every message the tool loop added (sessions store them). */
export async function chatWithTranscript(
  ctx: ClientContext,
  input: MessageInput,
  options: ChatOptions,
): Promise<ChatOutcome> {
  checkCallOptions(options, CHAT_OPTION_KEYS);
  const messages = buildTurn(input, options.instruction);
  const route = ctx.models.route(options.model);
  if (route !== undefined) return routedChat(ctx, route, messages, options);
  const call = await prepareChat(ctx, options, false);
  return runChat(ctx, call, messages);
}

/** `llm.generate` plus every message the tool loop added. */
export async function generateWithTranscript(
  ctx: ClientContext,
  messages: LLMMessage[],
  options: ChatOptions,
): Promise<ChatOutcome> {
  checkCallOptions(options, CHAT_OPTION_KEYS);
  const history = checkMessages(messages);
  const withInstruction: LLMMessage[] =
    options.instruction != null ? [{ role: 'system', content: options.instruction }, ...history] : history;
  const route = ctx.models.route(options.model);
  if (route !== undefined) return routedChat(ctx, route, withInstruction, options);
  const call = await prepareChat(ctx, options, false);
  return runChat(ctx, call, withInstruction);
}

/** `llm.stream`: one turn, or a whole conversation when given `LLMMessage[]`. */
export function streamCall(
  ctx: ClientContext,
  input: MessageInput | LLMMessage[],
  options: ChatOptions,
  onTranscript?: (messages: LLMMessage[]) => void,
  shared?: InternalChatOptions,
): LLMStream {
  let scope: CallScope | undefined;
  let abortReason: unknown;
  // Each scope of the call (one per route target) is aborted by an abort that came before it too.
  const attach = (next: CallScope): void => {
    scope = next;
    if (abortReason !== undefined) next.abort(abortReason);
  };
  async function* events(): AsyncGenerator<StreamEvent[], void> {
    checkCallOptions(options, CHAT_OPTION_KEYS);
    const messages = buildTurn(input, options.instruction);
    const route = ctx.models.route(options.model);
    if (route !== undefined) {
      yield* routedStream(ctx, route, messages, options, attach, onTranscript);
      return;
    }
    const call = await prepareChat(ctx, options, true, shared);
    attach(call.scope);
    yield* streamChat(ctx, call, messages, onTranscript);
  }
  return new LLMStreamImpl(events(), ctx.config.locale, (reason) => {
    abortReason ??= reason ?? new LLMError('ABORTED', 'The stream was aborted.');
    scope?.abort(abortReason);
  });
}

function toolList(tools: ChatOptions['tools']): ToolInput[] {
  if (tools == null) return [];
  return Array.isArray(tools) ? [...tools] : Object.values(tools);
}

/** `llm.code` options: the caller's tools plus the provider's code-execution tool. */
export function codeOptions(options: ChatOptions): ChatOptions {
  return { ...options, tools: [...toolList(options.tools), geminiCodeExecution()] };
}

/** `llm.search` options: a search instruction (unless given) and the provider's web-search grounding. */
export function searchOptions(options: ChatOptions): ChatOptions {
  return {
    instruction: DEFAULT_SEARCH_INSTRUCTION,
    ...options,
    tools: [...toolList(options.tools), geminiGoogleSearch()],
  };
}
