import type { ResolvedRoute } from '../config/resolved-config.js';
import { type CallNeeds, needsOf } from '../routes/call-needs.js';
import type { RouteStep } from '../routes/route-chain.js';
import type { LLMMessage, StreamEvent, ToolChoice, ToolInput } from '../spec/index.js';
import { prepareTools } from '../tools/prepare-tools.js';
import type { ToolInvoker } from '../tools/tool-invoker.js';
import type { CallScope } from './call-scope.js';
import type { ClientContext } from './client-context.js';
import type { ChatOptions } from './options.js';
import { prepareChat } from './prepare-chat.js';
import { callConfigOf, chainFor, optionsForTarget, targetConfigOf, wrongKind } from './route-targets.js';
import { type ChatOutcome, type PreparedChat, runChat, streamChat } from './run-chat.js';

/**
 * Whether a call's tools include function tools (which need `capabilities.toolCalling`). Objects answer
 * directly (`kind: 'provider'` is a provider-run tool); tool names are resolved only when no object decides.
 */
export async function needsToolCalling(
  ctx: ClientContext,
  tools: ChatOptions['tools'] | undefined,
  toolChoice: ToolChoice | undefined,
): Promise<boolean> {
  if (tools == null || toolChoice === 'none') return false;
  const list: unknown[] = Array.isArray(tools) ? tools : Object.values(tools);
  if (
    list.some(
      (tool) => typeof tool === 'object' && tool !== null && (tool as { kind?: unknown }).kind !== 'provider',
    )
  ) {
    return true;
  }
  if (!list.some((tool) => typeof tool === 'string')) return false;
  const prepared = await prepareTools(list as ToolInput[], ctx.tools);
  return prepared.prepared.functions.length > 0;
}

async function chatNeeds(
  ctx: ClientContext,
  messages: LLMMessage[],
  options: ChatOptions,
): Promise<CallNeeds> {
  if (options.tools == null) return needsOf(messages, false);
  return needsOf(messages, await needsToolCalling(ctx, options.tools, options.toolChoice));
}

/** The call's invoker, noting when a tool ran: from then on the call stays on its target. */
function committing(invoker: ToolInvoker, onRun: () => void): ToolInvoker {
  const wrapped = Object.create(invoker) as ToolInvoker;
  wrapped.executeAll = (...args) => {
    onRun();
    return invoker.executeAll(...args);
  };
  return wrapped;
}

/** The chain of a chat call over a route, and how one of its targets' calls is prepared. */
async function chatChain(
  ctx: ClientContext,
  route: ResolvedRoute,
  messages: LLMMessage[],
  options: ChatOptions,
) {
  if (route.kind === 'embedding')
    throw wrongKind(route, 'a chat call', 'chat models (llm.embed() takes this one)');
  const needs = await chatNeeds(ctx, messages, options);
  const config = callConfigOf(options.config);
  const chain = chainFor(ctx, route, needs, options);
  const prepare = (step: RouteStep, stream: boolean): Promise<PreparedChat> =>
    prepareChat(ctx, optionsForTarget(options, step, targetConfigOf(step.target, config)), stream);
  return { chain, prepare };
}

/**
 * `chat`/`generate` over a route (API.md §14): each target in the strategy's order runs the whole call (its
 * own key selection, retries and tool loop) with the time left. An error in `fallbackOn` moves to the next
 * target at once, unless a tool already ran: the tool loop stays on the target that answered its first round.
 */
export async function routedChat(
  ctx: ClientContext,
  route: ResolvedRoute,
  messages: LLMMessage[],
  options: ChatOptions,
): Promise<ChatOutcome> {
  const { chain, prepare } = await chatChain(ctx, route, messages, options);
  for (let step = chain.next(); step !== undefined; step = chain.next()) {
    let committed = false;
    try {
      const call = await prepare(step, false);
      // Only a call with tools of its own can run any (its first tool run commits it to this target).
      if (options.tools != null) {
        call.invoker = committing(call.invoker, () => {
          committed = true;
        });
      }
      const outcome = await runChat(ctx, call, messages);
      chain.succeeded(step);
      chain.decorate(outcome.response);
      return outcome;
    } catch (error) {
      chain.failed(step, error, committed);
    }
  }
  throw chain.exhausted();
}

/**
 * `stream` over a route: a target that fails before its first event falls back like `chat`; once an event was
 * yielded the stream is that target's, and its error ends the stream. `attach` receives each target's scope
 * (so `stream.abort()` reaches the one running).
 */
export async function* routedStream(
  ctx: ClientContext,
  route: ResolvedRoute,
  messages: LLMMessage[],
  options: ChatOptions,
  attach: (scope: CallScope) => void,
  onTranscript?: (transcript: LLMMessage[]) => void,
): AsyncGenerator<StreamEvent[], void> {
  const { chain, prepare } = await chatChain(ctx, route, messages, options);
  for (let step = chain.next(); step !== undefined; step = chain.next()) {
    let yielded = false;
    try {
      const call = await prepare(step, true);
      attach(call.scope);
      for await (const batch of streamChat(ctx, call, messages, onTranscript)) {
        if (!yielded) {
          yielded = true;
          chain.firstEvent(step);
        }
        // `finish` comes alone, last: the answer gets the failed targets' attempts and the skip warnings.
        const last = batch[batch.length - 1];
        if (last?.type === 'finish') chain.decorate(last.response);
        yield batch;
      }
      chain.succeeded(step);
      return;
    } catch (error) {
      chain.failed(step, error, yielded);
    } finally {
      chain.release(step);
    }
  }
  throw chain.exhausted();
}
