import type { ResolvedRoute } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { validateEmbeddingConfig } from '../generation/embedding-config.js';
import { NO_NEEDS, needsOf } from '../routes/call-needs.js';
import type { LLMEmbeddingConfig, LLMMessage, LLMResponse, MessageInput } from '../spec/index.js';
import { EventChannel } from '../structured/event-channel.js';
import { structuredStreamOf } from '../structured/stream-structured.js';
import type {
  PartialStructured,
  StructuredResult,
  StructuredSchema,
  StructuredStream,
  StructuredValue,
} from '../structured/structured-types.js';
import { checkCallOptions, IMAGE_OPTION_KEYS } from './call-options-check.js';
import type { ClientContext } from './client-context.js';
import { createImageCall } from './create-image.js';
import { buildTurn } from './normalize-input.js';
import type { EmbedOptions, ImageOptions, StructuredCallOptions } from './options.js';
import { callConfigOf, chainFor, optionsForTarget, targetConfigOf, wrongKind } from './route-targets.js';
import { needsToolCalling } from './routed-chat.js';

// The single-model calls are passed in by their modules (structured-calls.ts, embed.ts), which call these.

/** One structured generation on one model (`generateStructuredCall`). */
type StructuredCall = <S extends StructuredSchema>(
  ctx: ClientContext,
  input: MessageInput | LLMMessage[],
  schema: S,
  options: StructuredCallOptions<StructuredValue<S>>,
) => Promise<StructuredResult<StructuredValue<S>>>;

/** One structured stream on one model (`streamStructuredCall`). */
type StructuredStreamCall = <S extends StructuredSchema>(
  ctx: ClientContext,
  input: MessageInput | LLMMessage[],
  schema: S,
  options: StructuredCallOptions<StructuredValue<S>>,
) => StructuredStream<StructuredValue<S>>;

/** One embedding call on one model (`embedCall`). */
type EmbedCall = (ctx: ClientContext, texts: string | string[], options: EmbedOptions) => Promise<number[][]>;

async function structuredChain<T>(
  ctx: ClientContext,
  route: ResolvedRoute,
  input: MessageInput | LLMMessage[],
  options: StructuredCallOptions<T>,
) {
  if (route.kind === 'embedding') throw wrongKind(route, 'generateStructured', 'chat models');
  const { tools, toolChoice } = options as { tools?: never; toolChoice?: never };
  const needs = needsOf(buildTurn(input, undefined), await needsToolCalling(ctx, tools, toolChoice));
  return { chain: chainFor(ctx, route, needs, options), config: callConfigOf(options.config) };
}

/** Puts the failed targets' attempts and the skip warnings on a structured result. */
function decorated<T>(result: StructuredResult<T>, warnings: readonly string[]): StructuredResult<T> {
  if (warnings.length > 0) result.warnings = [...warnings, ...result.warnings];
  return result;
}

/**
 * `generateStructured` over a route: the strategy (native, tool call, prompt) depends on the model, so each
 * target runs the whole structured generation, validation re-asks included, with the time left. Transport
 * failures in `fallbackOn` move to the next target; a validation exhaustion (`RESPONSE_PARSE_ERROR`) is not in
 * the default list and ends the call.
 */
export async function routedStructured<S extends StructuredSchema>(
  ctx: ClientContext,
  route: ResolvedRoute,
  input: MessageInput | LLMMessage[],
  schema: S,
  options: StructuredCallOptions<StructuredValue<S>>,
  generateStructuredCall: StructuredCall,
): Promise<StructuredResult<StructuredValue<S>>> {
  const { chain, config } = await structuredChain(ctx, route, input, options);
  for (let step = chain.next(); step !== undefined; step = chain.next()) {
    try {
      const targetOptions = optionsForTarget(options, step, targetConfigOf(step.target, config));
      const result = await generateStructuredCall(ctx, input, schema, targetOptions);
      chain.succeeded(step);
      chain.decorate(result.response);
      return decorated(result, chain.warnings);
    } catch (error) {
      chain.failed(step, error, false);
    }
  }
  throw chain.exhausted();
}

/**
 * `streamStructured` over a route: like `routedStructured`, falling back only before the first partial
 * value was passed on (as streams do).
 */
export function routedStructuredStream<S extends StructuredSchema>(
  ctx: ClientContext,
  route: ResolvedRoute,
  input: MessageInput | LLMMessage[],
  schema: S,
  options: StructuredCallOptions<StructuredValue<S>>,
  streamStructuredCall: StructuredStreamCall,
): StructuredStream<StructuredValue<S>> {
  type T = StructuredValue<S>;
  const channel = new EventChannel<PartialStructured<T>>();
  const run = async (): Promise<StructuredResult<T>> => {
    const { chain, config } = await structuredChain(ctx, route, input, options);
    for (let step = chain.next(); step !== undefined; step = chain.next()) {
      let forwarded = false;
      try {
        const targetOptions = optionsForTarget(options, step, targetConfigOf(step.target, config));
        const inner = streamStructuredCall(ctx, input, schema, targetOptions);
        for await (const event of inner) {
          if (!forwarded) {
            forwarded = true;
            chain.firstEvent(step);
          }
          channel.push(event);
        }
        const result = await inner.result;
        chain.succeeded(step);
        chain.decorate(result.response);
        return decorated(result, chain.warnings);
      } catch (error) {
        chain.failed(step, error, forwarded);
      } finally {
        chain.release(step);
      }
    }
    throw chain.exhausted();
  };
  return structuredStreamOf(channel, run());
}

/** `embed` over a route of embedding models: each target's embedding config under the call's. */
export async function routedEmbed(
  ctx: ClientContext,
  route: ResolvedRoute,
  texts: string | string[],
  options: EmbedOptions,
  embedCall: EmbedCall,
): Promise<number[][]> {
  if (route.kind !== 'embedding') throw wrongKind(route, 'llm.embed()', 'embedding models');
  // Options and texts are checked by the first target's call (a bad one is not in `fallbackOn`).
  const config = options.config != null ? validateEmbeddingConfig(options.config) : undefined;
  const chain = chainFor(ctx, route, NO_NEEDS, options);
  for (let step = chain.next(); step !== undefined; step = chain.next()) {
    try {
      const own = step.target.embeddingConfig;
      const merged: LLMEmbeddingConfig | undefined =
        own == null ? config : config == null ? own : { ...own, ...config };
      const vectors = await embedCall(ctx, texts, optionsForTarget(options, step, merged));
      chain.succeeded(step);
      return vectors;
    } catch (error) {
      chain.failed(step, error, false);
    }
  }
  throw chain.exhausted();
}

/**
 * `createImage`, over a route when `options.model` names one (or, without a model, when no image model is
 * configured and the default model is a route). Targets are tried like `chat`; no capability skips.
 */
export async function imageCall(
  ctx: ClientContext,
  prompt: string,
  options: ImageOptions,
): Promise<LLMResponse> {
  const route =
    options.model !== undefined
      ? ctx.models.route(options.model)
      : ctx.models.list().some((info) => info.kind === 'image' && info.available === true)
        ? undefined
        : ctx.models.route(undefined);
  if (route === undefined) return createImageCall(ctx, prompt, options);
  checkCallOptions(options, IMAGE_OPTION_KEYS);
  if (route.kind === 'embedding') throw wrongKind(route, 'llm.createImage()', 'image or chat models');
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new LLMError('INVALID_PARAMETER', 'prompt: must be a non-empty string');
  }
  const config = callConfigOf(options.config);
  const chain = chainFor(ctx, route, NO_NEEDS, options);
  for (let step = chain.next(); step !== undefined; step = chain.next()) {
    try {
      const response = await createImageCall(
        ctx,
        prompt,
        optionsForTarget(options, step, targetConfigOf(step.target, config)),
      );
      chain.succeeded(step);
      return chain.decorate(response);
    } catch (error) {
      chain.failed(step, error, false);
    }
  }
  throw chain.exhausted();
}
