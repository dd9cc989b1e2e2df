import { resolveConfig } from '../config/resolve-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { AI } from '../session/ai-session.js';
import type { SessionBackend, SessionOptions } from '../session/session-types.js';
import type {
  LLMConfig,
  LLMEmbeddingConfig,
  LLMMessage,
  LLMResponse,
  LLMStream,
  MessageInput,
  UsageTotals,
} from '../spec/index.js';
import type {
  StructuredResult,
  StructuredSchema,
  StructuredStream,
  StructuredValue,
} from '../structured/structured-types.js';
import type { CallRequest } from '../telemetry/client-telemetry.js';
import { baseCallOptions } from './call-options-check.js';
import {
  chatWithTranscript,
  codeOptions,
  generateWithTranscript,
  searchOptions,
  streamCall,
} from './chat-calls.js';
import type { ClientContext } from './client-context.js';
import { type CreateLLMOptions, createClientContext } from './create-client-context.js';
import { embedCall } from './embed.js';
import { guard, guardAsync } from './guard.js';
import { createKeysApi, type KeysApi } from './keys-api.js';
import type { LLMStreamImpl } from './llm-stream.js';
import { createModelsApi, type ModelsApi } from './models-api.js';
import type {
  ChatOptions,
  EmbedOptions,
  EmbedShortcutOptions,
  ImageOptions,
  StructuredCallOptions,
} from './options.js';
import { imageCall } from './routed-calls.js';
import { createSessionBackend } from './session-backend.js';
import { generateStructuredCall, streamStructuredCall } from './structured-calls.js';

export type { CreateLLMOptions, KeysApi, ModelsApi };

/**
 * A client: one configuration, its key pools, connection pools and pipeline. Create it with
 * `createLLM(config)`; call `close()` when done (flushes key state, closes connections). Each method
 * is a thin wrapper: the work is in `chat-calls.ts`, `structured-calls.ts`, `embed.ts`, `create-image.ts`.
 */
export class LLM {
  readonly models: ModelsApi;
  readonly keys: KeysApi;
  /** @internal Everything the calls share (tests reach the key pools through it). */
  readonly context: ClientContext;
  private closed: Promise<void> | undefined;
  private sessionBackend: SessionBackend | undefined;

  constructor(config: ResolvedConfig, options: CreateLLMOptions = {}) {
    this.context = createClientContext(config, options);
    this.models = createModelsApi(this.context.models, config.locale);
    this.keys = createKeysApi(this.context.keyPools, config.locale);
  }

  private get locale() {
    return this.context.config.locale;
  }

  /** One user turn (`opts.instruction` is the system prompt); runs the tool loop when tools can execute. */
  async chat(input: MessageInput, options: ChatOptions = {}): Promise<LLMResponse> {
    return this.context.telemetry
      .observe(
        'chat',
        chatRequest(input, options),
        () => guardAsync(this.locale, () => chatWithTranscript(this.context, input, options)),
        (outcome) => outcome.response,
      )
      .then((outcome) => outcome.response);
  }

  /** A full conversation (`LLMMessage[]`), sent as is. */
  async generate(messages: LLMMessage[], options: ChatOptions = {}): Promise<LLMResponse> {
    return this.context.telemetry
      .observe(
        'chat',
        chatRequest(messages, options),
        () => guardAsync(this.locale, () => generateWithTranscript(this.context, messages, options)),
        (outcome) => outcome.response,
      )
      .then((outcome) => outcome.response);
  }

  /** Streams one turn (or a whole conversation when given `LLMMessage[]`). */
  stream(input: MessageInput | LLMMessage[], options: ChatOptions = {}): LLMStream {
    const stream = streamCall(this.context, input, options);
    (stream as LLMStreamImpl).observe(
      this.context.telemetry.streamObserver('chat', chatRequest(input, options)),
    );
    return stream;
  }

  /**
   * A typed value for a zod `schema` (API.md §8): native schema mode where the model supports it, local
   * repair first, then validate-and-re-ask up to `maxValidationRetries` (default config `structuredRetries`).
   */
  async generateStructured<S extends StructuredSchema>(
    input: MessageInput | LLMMessage[],
    schema: S,
    options: StructuredCallOptions<StructuredValue<S>> = {},
  ): Promise<StructuredValue<S>> {
    return (await this.generateStructuredResult(input, schema, options)).value;
  }

  /** `generateStructured` with the details: last response, requests made, strategy, repairs, usage. */
  async generateStructuredResult<S extends StructuredSchema>(
    input: MessageInput | LLMMessage[],
    schema: S,
    options: StructuredCallOptions<StructuredValue<S>> = {},
  ): Promise<StructuredResult<StructuredValue<S>>> {
    return this.context.telemetry.observe(
      'chat',
      chatRequest(input, options),
      () => guardAsync(this.locale, () => generateStructuredCall(this.context, input, schema, options)),
      (result) => result.response,
    );
  }

  /** Streams progressively parsed partial values, then resolves `value` with the validated value. */
  streamStructured<S extends StructuredSchema>(
    input: MessageInput | LLMMessage[],
    schema: S,
    options: StructuredCallOptions<StructuredValue<S>> = {},
  ): StructuredStream<StructuredValue<S>> {
    const observer = this.context.telemetry.streamObserver('chat', chatRequest(input, options));
    let stream: StructuredStream<StructuredValue<S>>;
    try {
      stream = guard(this.locale, () => streamStructuredCall(this.context, input, schema, options));
    } catch (error) {
      observer.end(undefined, error);
      throw error;
    }
    stream.result.then(
      (result) => observer.end(result.response, undefined),
      (error: unknown) => observer.end(undefined, error),
    );
    return stream;
  }

  /** `chat` with the provider's code-execution tool attached (Gemini); other providers warn. */
  async code(prompt: string, options: ChatOptions = {}): Promise<LLMResponse> {
    return this.chat(prompt, codeOptions(options));
  }

  /** `chat` with the provider's web-search grounding attached (Gemini Google Search); other providers warn. */
  async search(query: string, options: ChatOptions = {}): Promise<LLMResponse> {
    return this.chat(query, searchOptions(options));
  }

  /** Embeds a string or strings; vectors in input order. */
  async embed(texts: string | string[], options: EmbedOptions = {}): Promise<number[][]> {
    return this.context.telemetry.observe(
      'embeddings',
      { model: options.model, embedding: true, input: texts },
      () => guardAsync(this.locale, () => embedCall(this.context, texts, options)),
      () => undefined,
    );
  }

  /** Embeds a search query (task `RETRIEVAL_QUERY`). */
  async embedQuery(text: string, options: EmbedShortcutOptions = {}): Promise<number[]> {
    if (typeof text !== 'string') throw new LLMError('INVALID_PARAMETER', 'text: must be a string');
    const config: LLMEmbeddingConfig = { taskType: 'RETRIEVAL_QUERY' };
    if (options.dimensions != null) config.outputDimensionality = options.dimensions;
    const [vector] = await this.embed([text], { ...baseCallOptions(options), config });
    return vector ?? [];
  }

  /** Embeds documents (task `RETRIEVAL_DOCUMENT`, optional `title`). */
  async embedDocuments(texts: string[], options: EmbedShortcutOptions = {}): Promise<number[][]> {
    const config: LLMEmbeddingConfig = { taskType: 'RETRIEVAL_DOCUMENT' };
    if (options.dimensions != null) config.outputDimensionality = options.dimensions;
    if (options.title != null) config.title = options.title;
    return this.embed(texts, { ...baseCallOptions(options), config });
  }

  /** Generates images; `options.images` are input images to edit. The result's `images` holds them. */
  async createImage(prompt: string, options: ImageOptions = {}): Promise<LLMResponse> {
    return this.context.telemetry.observe(
      'generate_content',
      { model: options.model, config: options.config, input: prompt },
      () => guardAsync(this.locale, () => imageCall(this.context, prompt, options)),
      (response) => response,
    );
  }

  /**
   * A conversation with memory (API.md §10): history is loaded, sent and stored on every turn. Sessions
   * without `memory` share this client's in-process store, so the same `sessionId` continues one conversation.
   */
  session(options: SessionOptions = {}): AI {
    this.sessionBackend ??= createSessionBackend(this.context);
    const backend = this.sessionBackend;
    return guard(this.locale, () => new AI(backend, options));
  }

  /**
   * Totals since this client started, by `"Provider/model"`: calls, errors, tokens by kind and (for models
   * with `pricing`) cost (API.md §16). A snapshot: later calls do not change it.
   */
  usage(): UsageTotals {
    return this.context.telemetry.usage();
  }

  /** Flushes key state (and recorded spend) and closes connections; idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const { keyPools, transport, logger, telemetry } = this.context;
      const results = await Promise.allSettled([
        telemetry.flush().then(() => keyPools.close()),
        transport.close(),
      ]);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure != null) {
        logger.warn({ error: (failure as PromiseRejectedResult).reason }, 'switchboard: close() failed');
      }
    })();
    return this.closed;
  }
}

/** What telemetry reads of a chat-like call. */
function chatRequest(
  input: unknown,
  options: { model?: string | readonly string[]; config?: unknown; instruction?: string },
): CallRequest {
  return { model: options.model, config: options.config, input, instruction: options.instruction };
}

/**
 * Creates a client. Validates `config` (every problem reported by path in one `CONFIGURATION_ERROR`).
 *
 * @example
 * const llm = createLLM({ providers: [{ name: 'OpenAI', apiType: 'openai', apiKeys: [process.env.OPENAI_API_KEY!], models: ['gpt-4o-mini'] }] });
 * const { text } = await llm.chat('Hello!');
 */
export function createLLM(config: LLMConfig, options: CreateLLMOptions = {}): LLM {
  return new LLM(resolveConfig(config), options);
}
