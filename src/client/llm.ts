import { resolveConfig } from '../config/resolve-config.js';
import type { ResolvedConfig, ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { validateEmbeddingConfig } from '../generation/embedding-config.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import { geminiCodeExecution, geminiGoogleSearch } from '../generation/native-tools.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import { createTransport, type Transport } from '../http/transport.js';
import { createKeyPools, type KeyPools } from '../keys/key-pools.js';
import type { KeyStateStore } from '../keys/key-store.js';
import { createInternalLogger } from '../logging/internal-logger.js';
import { createModelRegistry } from '../models/model-registry.js';
import { createPipeline } from '../pipeline/create-pipeline.js';
import { AI } from '../session/ai-session.js';
import { createInMemoryStore } from '../session/in-memory-store.js';
import type { SessionBackend, SessionOptions } from '../session/session-types.js';
import type {
  KeyStats,
  LLMConfig,
  LLMEmbeddingConfig,
  LLMGenerationConfig,
  LLMMessage,
  LLMResponse,
  LLMStream,
  MessageInput,
  ModelInfo,
  StreamEvent,
  ToolInput,
} from '../spec/index.js';
import { generateStructured as runStructured } from '../structured/generate-structured.js';
import { streamStructured as runStreamStructured } from '../structured/stream-structured.js';
import type {
  StructuredModelCall,
  StructuredOptions,
  StructuredResult,
  StructuredRunner,
  StructuredSchema,
  StructuredStream,
  StructuredValue,
} from '../structured/structured-types.js';
import { prepareTools } from '../tools/prepare-tools.js';
import { ToolInvoker } from '../tools/tool-invoker.js';
import { defaultToolRegistry, type ToolProviderRegistry } from '../tools/tool-registry.js';
import { type Clock, type Random, systemClock } from '../util/clock.js';
import { CallScope } from './call-scope.js';
import type { ClientContext } from './client-context.js';
import { createImage as runCreateImage, toImageParts } from './create-image.js';
import { createDialects } from './dialects.js';
import { checkTexts, embedTexts } from './embed.js';
import { LLMStreamImpl } from './llm-stream.js';
import { buildTurn, checkMessages, toUserMessage } from './normalize-input.js';
import type {
  CallOptions,
  ChatOptions,
  ConfigBuilderLike,
  EmbedOptions,
  EmbedShortcutOptions,
  ImageOptions,
  StructuredCallOptions,
} from './options.js';
import { type ChatOutcome, type PreparedChat, runChat, streamChat } from './run-chat.js';

/** Internal and testing hooks of `createLLM` (not needed in normal use). */
export interface CreateLLMOptions {
  /** Time source for deadlines, backoff and cooldowns. @default the system clock */
  clock?: Clock;
  /** Randomness for backoff jitter. @default Math.random */
  random?: Random;
  /** Where tool names are resolved. @default the module-level registry of `registerToolProvider` */
  toolRegistry?: ToolProviderRegistry;
  /** A key-state store instance (overrides `config.keyStore`). */
  keyStore?: KeyStateStore;
  /**
   * Where each provider's round-robin starts: `'least-used'` picks the key with the fewest stored calls first
   * (the CLI uses it, so one call per run still spreads over the keys). @default 'first'
   */
  rotationStart?: 'first' | 'least-used';
}

/** `llm.models` */
export interface ModelsApi {
  list(): ModelInfo[];
  listEmbedding(): ModelInfo[];
  resolve(name?: string): ModelInfo;
  getDefault(): string;
  setDefault(name: string): void;
}

/** `llm.keys` */
export interface KeysApi {
  stats(provider: string): Promise<KeyStats[]>;
  reset(provider: string, keyId?: string): Promise<void>;
}

const CHAT_OPTION_KEYS = new Set([
  'model',
  'signal',
  'timeoutMs',
  'instruction',
  'tools',
  'toolChoice',
  'config',
  'maxToolRounds',
  'runContext',
  'toolHooks',
]);

const EMPTY_TOOLS = Object.freeze({
  prepared: Object.freeze({ functions: [], providerTools: [] }),
  executables: new Map(),
}) as unknown as Awaited<ReturnType<typeof prepareTools>>;

const STRUCTURED_OPTION_KEYS = new Set([
  'model',
  'signal',
  'timeoutMs',
  'config',
  'strategy',
  'jsonMode',
  'maxValidationRetries',
  'validationCallback',
  'errorPromptTemplate',
  'errorPromptLocale',
  'promptLocale',
  'autoThinking',
  'instruction',
  'schemaName',
]);

const DEFAULT_SEARCH_INSTRUCTION =
  'You are an expert at finding and synthesising information. Use the available search tools to find the most relevant information for the query, then summarise it and answer.';

function checkOptions(options: unknown, allowed: ReadonlySet<string>, path: string): void {
  if (options == null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new LLMError('INVALID_PARAMETER', `${path}: must be an options object`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `${path}.${key}: unknown option (known: ${[...allowed].join(', ')}); generation settings go in \`config\``,
      );
    }
  }
}

function isBuilder(value: unknown): value is ConfigBuilderLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as ConfigBuilderLike).build === 'function'
  );
}

/**
 * A client: one configuration, its key pools, connection pools and pipeline. Create it with
 * `createLLM(config)`; call `close()` when done (flushes key state, closes connections).
 */
export class LLM {
  readonly models: ModelsApi;
  readonly keys: KeysApi;
  /** @internal */
  readonly context: ClientContext;
  private readonly transport: Transport;
  private readonly keyPools: KeyPools;
  private readonly invoker: ToolInvoker;
  private closed: Promise<void> | undefined;
  private sessionBackend: SessionBackend | undefined;

  constructor(config: ResolvedConfig, options: CreateLLMOptions = {}) {
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const logger = createInternalLogger(config.logger, config.debugLog);
    const registry = createModelRegistry(config);
    this.keyPools = createKeyPools(config, {
      clock,
      logger,
      ...(options.keyStore != null ? { store: options.keyStore } : {}),
      ...(options.rotationStart != null ? { rotationStart: options.rotationStart } : {}),
    });
    this.transport = createTransport({ config, clock });
    const pipeline = createPipeline({
      config,
      clock,
      random,
      keyPools: this.keyPools.get,
      transport: this.transport,
      logger,
    });
    this.invoker = new ToolInvoker({ clock, logger });
    this.context = {
      config,
      models: registry,
      pipeline,
      keyPools: this.keyPools,
      dialects: createDialects(config.geminiSafetyThreshold),
      tools: options.toolRegistry ?? defaultToolRegistry,
      clock,
      random,
      logger,
    };
    this.models = {
      list: () => registry.list(),
      listEmbedding: () => registry.listEmbedding(),
      resolve: (name) => this.guard(() => registry.info(registry.resolve(name))),
      getDefault: () => registry.getDefault(),
      setDefault: (name) => this.guard(() => registry.setDefault(name)),
    };
    this.keys = {
      stats: (provider) => this.guardAsync(() => this.keyPools.stats(provider)),
      reset: async (provider, keyId) => {
        await this.guardAsync(() => this.keyPools.reset(provider, keyId));
      },
    };
  }

  /** One user turn (`opts.instruction` is the system prompt); runs the tool loop when tools can execute. */
  async chat(input: MessageInput, options: ChatOptions = {}): Promise<LLMResponse> {
    return (await this.chatWithTranscript(input, options)).response;
  }

  /** A full conversation (`LLMMessage[]`), sent as is. */
  async generate(messages: LLMMessage[], options: ChatOptions = {}): Promise<LLMResponse> {
    return (await this.generateWithTranscript(messages, options)).response;
  }

  /** @internal `chat` plus every message the tool loop added (sessions store them). */
  async chatWithTranscript(input: MessageInput, options: ChatOptions = {}): Promise<ChatOutcome> {
    return this.guardAsync(async () => {
      checkOptions(options, CHAT_OPTION_KEYS, 'options');
      const messages = buildTurn(input, options.instruction);
      const call = await this.prepareChat(options, false);
      return runChat(this.context, call, messages);
    });
  }

  /** @internal `generate` plus every message the tool loop added. */
  async generateWithTranscript(messages: LLMMessage[], options: ChatOptions = {}): Promise<ChatOutcome> {
    return this.guardAsync(async () => {
      checkOptions(options, CHAT_OPTION_KEYS, 'options');
      const history = checkMessages(messages);
      const withInstruction: LLMMessage[] =
        options.instruction != null
          ? [{ role: 'system', content: options.instruction }, ...history]
          : history;
      const call = await this.prepareChat(options, false);
      return runChat(this.context, call, withInstruction);
    });
  }

  /** Streams one turn (or a whole conversation when given `LLMMessage[]`). */
  stream(
    input: MessageInput | LLMMessage[],
    options: ChatOptions = {},
    onTranscript?: (messages: LLMMessage[]) => void,
  ): LLMStream {
    let scope: CallScope | undefined;
    let abortedEarly: unknown;
    const self = this;
    async function* events(): AsyncGenerator<StreamEvent[], void> {
      checkOptions(options, CHAT_OPTION_KEYS, 'options');
      const messages = buildTurn(input, options.instruction);
      const call = await self.prepareChat(options, true);
      scope = call.scope;
      if (abortedEarly !== undefined) scope.abort(abortedEarly);
      yield* streamChat(self.context, call, messages, onTranscript);
    }
    return new LLMStreamImpl(events(), this.context.config.locale, (reason) => {
      if (scope != null) scope.abort(reason);
      else abortedEarly = reason ?? new LLMError('ABORTED', 'The stream was aborted.');
    });
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
    return this.guardAsync(async () => {
      checkOptions(options, STRUCTURED_OPTION_KEYS, 'options');
      const { runner, messages, engineOptions } = this.structuredSetup(input, options);
      return runStructured(runner, messages, schema, engineOptions);
    });
  }

  /** Streams progressively parsed partial values, then resolves `value` with the validated value. */
  streamStructured<S extends StructuredSchema>(
    input: MessageInput | LLMMessage[],
    schema: S,
    options: StructuredCallOptions<StructuredValue<S>> = {},
  ): StructuredStream<StructuredValue<S>> {
    return this.guard(() => {
      checkOptions(options, STRUCTURED_OPTION_KEYS, 'options');
      const { runner, messages, engineOptions } = this.structuredSetup(input, options);
      return runStreamStructured(runner, messages, schema, engineOptions);
    });
  }

  /** `chat` with the provider's code-execution tool attached (Gemini); other providers warn. */
  async code(prompt: string, options: ChatOptions = {}): Promise<LLMResponse> {
    return this.chat(prompt, { ...options, tools: [...this.toolList(options.tools), geminiCodeExecution()] });
  }

  /** `chat` with the provider's web-search grounding attached (Gemini Google Search); other providers warn. */
  async search(query: string, options: ChatOptions = {}): Promise<LLMResponse> {
    return this.chat(query, {
      instruction: DEFAULT_SEARCH_INSTRUCTION,
      ...options,
      tools: [...this.toolList(options.tools), geminiGoogleSearch()],
    });
  }

  /** Embeds a string or strings; vectors in input order. */
  async embed(texts: string | string[], options: EmbedOptions = {}): Promise<number[][]> {
    return this.guardAsync(async () => {
      checkOptions(options, new Set(['model', 'signal', 'timeoutMs', 'config']), 'options');
      const list = checkTexts(texts);
      const model = this.context.models.resolveEmbedding(options.model);
      const config: LLMEmbeddingConfig =
        options.config != null ? validateEmbeddingConfig(options.config) : {};
      const scope = this.scopeFor(model, options, false);
      return embedTexts(this.context, model, list, config, scope);
    });
  }

  /** Embeds a search query (task `RETRIEVAL_QUERY`). */
  async embedQuery(text: string, options: EmbedShortcutOptions = {}): Promise<number[]> {
    if (typeof text !== 'string') throw new LLMError('INVALID_PARAMETER', 'text: must be a string');
    const config: LLMEmbeddingConfig = { taskType: 'RETRIEVAL_QUERY' };
    if (options.dimensions != null) config.outputDimensionality = options.dimensions;
    const [vector] = await this.embed([text], { ...this.callOptions(options), config });
    return vector ?? [];
  }

  /** Embeds documents (task `RETRIEVAL_DOCUMENT`, optional `title`). */
  async embedDocuments(texts: string[], options: EmbedShortcutOptions = {}): Promise<number[][]> {
    const config: LLMEmbeddingConfig = { taskType: 'RETRIEVAL_DOCUMENT' };
    if (options.dimensions != null) config.outputDimensionality = options.dimensions;
    if (options.title != null) config.title = options.title;
    return this.embed(texts, { ...this.callOptions(options), config });
  }

  /** Generates images; `options.images` are input images to edit. The result's `images` holds them. */
  async createImage(prompt: string, options: ImageOptions = {}): Promise<LLMResponse> {
    return this.guardAsync(async () => {
      checkOptions(options, new Set(['model', 'signal', 'timeoutMs', 'images', 'config']), 'options');
      if (typeof prompt !== 'string' || prompt.trim() === '') {
        throw new LLMError('INVALID_PARAMETER', 'prompt: must be a non-empty string');
      }
      const model = this.resolveImageModel(options.model);
      const images = toImageParts(options.images);
      const config = this.mergedConfig(model, options.config);
      const scope = this.scopeFor(model, options, false);
      return runCreateImage(this.context, model, prompt, images, config, scope, () =>
        this.prepareChat(
          { ...this.callOptions(options), ...(options.config != null ? { config: options.config } : {}) },
          false,
        ),
      );
    });
  }

  /**
   * A conversation with memory (API.md §10): history is loaded, sent and stored on every turn. Sessions
   * without `memory` share this client's in-process store, so the same `sessionId` continues one conversation.
   */
  session(options: SessionOptions = {}): AI {
    this.sessionBackend ??= this.createSessionBackend();
    return this.guard(() => new AI(this.sessionBackend as SessionBackend, options));
  }

  private createSessionBackend(): SessionBackend {
    const memory = createInMemoryStore();
    return {
      generate: (messages, options) => this.generateWithTranscript(messages, options),
      stream: (messages, options, onTranscript) => this.stream(messages, options, onTranscript),
      generateStructured: async (messages, schema, options) => {
        const result = await this.generateStructuredResult(messages, schema, options);
        return { value: result.value, response: result.response };
      },
      defaultMemory: () => memory,
      logger: this.context.logger,
    };
  }

  /** Flushes key state and closes connections; idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const results = await Promise.allSettled([this.keyPools.close(), this.transport.close()]);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure != null)
        this.context.logger.warn(
          { error: (failure as PromiseRejectedResult).reason },
          'switchboard: close() failed',
        );
    })();
    return this.closed;
  }

  /** @internal Prepares one chat call: model, dialect, config, tools, deadline. */
  async prepareChat(options: ChatOptions, stream: boolean): Promise<PreparedChat> {
    const model = this.context.models.resolve(options.model);
    if (model.kind === 'embedding') {
      throw new LLMError('INVALID_PARAMETER', `${model.fullName} is an embedding model: use llm.embed().`);
    }
    const dialect = this.context.dialects.chat(model);
    const config = this.mergedConfig(model, options.config);
    const toolSet =
      options.tools == null && config.nativeTools == null
        ? EMPTY_TOOLS
        : await prepareTools(
            options.tools as ToolInput[] | undefined,
            this.context.tools,
            config.nativeTools,
          );
    const maxToolRounds = options.maxToolRounds ?? this.context.config.maxToolRounds;
    if (!Number.isInteger(maxToolRounds) || maxToolRounds < 0) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `options.maxToolRounds: must be a whole number ≥ 0 (got ${maxToolRounds})`,
      );
    }
    const call: PreparedChat = {
      model,
      dialect,
      config,
      toolSet,
      scope: this.scopeFor(model, options, stream),
      warnings: [],
      maxToolRounds,
      runContext: options.runContext ?? {},
      invoker:
        options.toolHooks != null
          ? new ToolInvoker({ ...options.toolHooks, clock: this.context.clock, logger: this.context.logger })
          : this.invoker,
    };
    if (options.toolChoice != null) call.toolChoice = options.toolChoice;
    return call;
  }

  /** The call config merged over the model's defaults (`ModelDetail.temperature`/`maxTokens`). */
  private mergedConfig(
    model: ResolvedModel,
    config: LLMGenerationConfig | ConfigBuilderLike | undefined,
  ): LLMGenerationConfig {
    const callConfig =
      config == null ? undefined : validateGenerationConfig(isBuilder(config) ? config.build() : config);
    const { temperature, maxTokens } = model.defaults;
    if (temperature == null && maxTokens == null) return callConfig ?? {};
    const core: NonNullable<LLMGenerationConfig['core']> = {};
    if (temperature != null) core.temperature = temperature;
    if (maxTokens != null) core.maxTokens = maxTokens;
    return callConfig == null ? { core } : mergeGenerationConfig({ core }, callConfig);
  }

  /** The runner the structured-output engine talks to: one deadline for all its requests. */
  private structuredSetup<T>(input: MessageInput | LLMMessage[], options: StructuredCallOptions<T>) {
    const model = this.context.models.resolve(options.model);
    const messages = buildTurn(input, undefined);
    const scope = this.scopeFor(model, options, false);
    const callOptions = (request: StructuredModelCall): ChatOptions => {
      const remaining = scope.deadline - this.context.clock.now();
      if (remaining <= 0) throw new LLMError('API_TIMEOUT', 'The call did not finish before its deadline.');
      const chatOptions: ChatOptions = {
        model: model.fullName,
        timeoutMs: remaining,
        config: request.config,
        maxToolRounds: 0,
      };
      const signal = request.signal ?? options.signal;
      if (signal != null) chatOptions.signal = signal;
      if (request.tools != null) chatOptions.tools = request.tools;
      if (request.toolChoice != null) chatOptions.toolChoice = request.toolChoice;
      return chatOptions;
    };
    const runner: StructuredRunner = {
      model,
      call: async (request) => {
        const call = await this.prepareChat(callOptions(request), false);
        return (await runChat(this.context, call, request.messages)).response;
      },
      stream: (request) => this.stream(request.messages, callOptions(request)),
    };
    const { model: _model, signal, timeoutMs: _timeoutMs, config, ...rest } = options;
    const engineOptions: StructuredOptions<T> = {
      maxValidationRetries: this.context.config.structuredRetries,
      ...rest,
    };
    if (signal != null) engineOptions.signal = signal;
    if (config != null)
      engineOptions.config = validateGenerationConfig(isBuilder(config) ? config.build() : config);
    return { runner, messages, engineOptions };
  }

  /** The named model, else the first image model configured, else the default chat model. */
  private resolveImageModel(name: string | undefined): ResolvedModel {
    const registry = this.context.models;
    if (name != null) return registry.resolve(name);
    const image = registry.list().find((info) => info.kind === 'image');
    return registry.resolve(image?.name);
  }

  private scopeFor(model: ResolvedModel, options: CallOptions, abortable: boolean): CallScope {
    const timeoutMs = options.timeoutMs ?? model.provider.timeoutMs;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `options.timeoutMs: must be a positive number of milliseconds (got ${timeoutMs})`,
      );
    }
    if (options.signal != null && !(options.signal instanceof AbortSignal)) {
      throw new LLMError('INVALID_PARAMETER', 'options.signal: must be an AbortSignal');
    }
    return new CallScope(this.context.clock, timeoutMs, options.signal, abortable);
  }

  private callOptions(options: CallOptions): CallOptions {
    const out: CallOptions = {};
    if (options.model != null) out.model = options.model;
    if (options.signal != null) out.signal = options.signal;
    if (options.timeoutMs != null) out.timeoutMs = options.timeoutMs;
    return out;
  }

  private toolList(tools: ChatOptions['tools']): ToolInput[] {
    if (tools == null) return [];
    return Array.isArray(tools) ? [...tools] : Object.values(tools);
  }

  /** Sets the client's locale on errors leaving a public method. */
  private localise(error: unknown): LLMError {
    const llmError = LLMError.from(error, 'GENERATION_FAILED');
    llmError.locale = this.context.config.locale;
    return llmError;
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw this.localise(error);
    }
  }

  private async guardAsync<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.localise(error);
    }
  }
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

export { toUserMessage };
