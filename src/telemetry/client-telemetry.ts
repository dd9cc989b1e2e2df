import type { ResolvedConfig, ResolvedModel } from '../config/resolved-config.js';
import type { SpendLedger } from '../keys/spend-ledger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { LLMCost, LLMGenerationConfig, LLMResponse, UsageTotals } from '../spec/index.js';
import type { Clock } from '../util/clock.js';
import { CallObservation, type GenAiOperation } from './call-observation.js';
import { endCallSpans, failCallSpans, failureOf, type SpanEnd } from './call-spans.js';
import { costOf } from './cost.js';
import { contentJson, inputMessages, systemInstructions } from './genai-content.js';
import type { OtelAttributes } from './otel-types.js';
import { SpendRecorder } from './spend-recorder.js';
import { createTracerSource, type TracerSource } from './tracer-source.js';
import { UsageAccumulator } from './usage-accumulator.js';

/** What a public call tells telemetry when it starts (everything optional; read only when tracing). */
export interface CallRequest {
  /** The call's `model` option as given (a name, a route, an ad-hoc chain, or absent for the default). */
  model?: string | readonly string[] | undefined;
  /** The call's `config` (an `LLMGenerationConfig` or a builder), for `gen_ai.request.max_tokens`/`temperature`. */
  config?: unknown;
  /** The input (`MessageInput` or `LLMMessage[]`), recorded with `recordContent`. */
  input?: unknown;
  /** The system prompt, recorded with `recordContent`. */
  instruction?: string | undefined;
  /** A streamed call (`gen_ai.request.stream`; time to first chunk is measured). */
  stream?: boolean;
  /** The default is the default embedding model. */
  embedding?: boolean;
}

/** Where telemetry reports its own trouble (never the call's). */
export interface TelemetryLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface ClientTelemetryOptions {
  config: ResolvedConfig;
  models: ModelRegistry;
  clock: Clock;
  logger?: TelemetryLogger;
  /** Record each call's spend in this ledger (the key store's). @default none */
  spend?: SpendLedger;
}

/** What a stream tells its observer (`LLMStreamImpl.observe`). */
export interface StreamObserver {
  /** The first event was delivered. */
  first?(): void;
  /** The stream ended: with its response, or failed/abandoned with `error`. Called once. */
  end(response: LLMResponse | undefined, error: unknown): void;
}

function coreOf(config: unknown): LLMGenerationConfig['core'] | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const build = (config as { build?: unknown }).build;
  const plain = typeof build === 'function' ? (build.call(config) as LLMGenerationConfig) : config;
  return (plain as LLMGenerationConfig).core;
}

/**
 * A client's observability (API.md §16), behind one thin wrapper around each public call (`observe`,
 * `observeStream`): the call's cost (`response.cost`), `llm.usage()` totals, the spend ledger, and — when a
 * tracer records — the span tree (call span, one child per HTTP attempt and per tool execution). Without a
 * recording tracer a call costs a `Map` lookup and a few additions here. Nothing here ever fails or delays
 * a call: its own errors are warned about once.
 */
export class ClientTelemetry {
  private readonly source: TracerSource;
  private readonly recordContent: boolean;
  private readonly models: ModelRegistry;
  private readonly byName = new Map<string, ResolvedModel>();
  private readonly totals = new UsageAccumulator();
  private readonly recorder: SpendRecorder | undefined;
  private readonly clock: Clock;
  private readonly logger: TelemetryLogger | undefined;
  private readonly spanEnd: SpanEnd;
  private warned = false;

  constructor(options: ClientTelemetryOptions) {
    const { config } = options;
    this.source = createTracerSource(config.telemetry);
    this.recordContent = config.telemetry?.recordContent === true;
    this.models = options.models;
    this.clock = options.clock;
    this.logger = options.logger;
    for (const provider of config.providers) {
      for (const model of provider.models) this.byName.set(model.fullName, model);
    }
    if (options.spend != null) {
      this.recorder = new SpendRecorder({
        ledger: options.spend,
        clock: options.clock,
        ...(options.logger != null ? { logger: options.logger } : {}),
      });
    }
    this.spanEnd = {
      clock: options.clock,
      recordContent: this.recordContent,
      providerNameOf: (model) => {
        const resolved = this.byName.get(model);
        return resolved == null ? undefined : (resolved.definition.genAiProviderName ?? resolved.apiType);
      },
    };
  }

  /** Whether spans can be made at all (telemetry on and `@opentelemetry/api` installed); loads the API. */
  get tracing(): boolean {
    return this.source.api !== undefined;
  }

  /**
   * Runs one public call: `run` gets the call's observation (undefined when nothing records; the route runner
   * reports targets to it), `responseOf` picks the `LLMResponse` out of the result (undefined for embeddings).
   */
  async observe<R>(
    operation: GenAiOperation,
    request: CallRequest,
    run: (observation: CallObservation | undefined) => Promise<R>,
    responseOf: (result: R) => LLMResponse | undefined,
  ): Promise<R> {
    const observation = this.begin(operation, request);
    let result: R;
    try {
      result = await run(observation);
    } catch (error) {
      this.fail(observation, error);
      throw error;
    }
    this.succeed(observation, responseOf(result), request);
    return result;
  }

  /** The observer of a streamed call (its span ends at the stream's last event). */
  streamObserver(operation: GenAiOperation, request: CallRequest): StreamObserver {
    const observation = this.begin(operation, { ...request, stream: true });
    const end = (response: LLMResponse | undefined, error: unknown) => {
      if (response != null) this.succeed(observation, response, request);
      else this.fail(observation, error);
    };
    return observation === undefined ? { end } : { first: () => observation.first(), end };
  }

  /** The call starts: its span when a tracer records, else undefined (nothing built). */
  begin(operation: GenAiOperation, request: CallRequest): CallObservation | undefined {
    const tracer = this.source.tracer();
    const api = this.source.api;
    if (tracer === undefined || api === undefined) return undefined;
    try {
      const name = this.requestedName(request);
      const model = name != null ? this.byName.get(name) : undefined;
      const attributes: OtelAttributes = { 'gen_ai.operation.name': operation };
      if (name != null) attributes['gen_ai.request.model'] = name;
      if (Array.isArray(request.model) && request.model.length > 1) {
        attributes['switchboard.request.models'] = [...request.model];
      }
      if (model != null) {
        attributes['gen_ai.provider.name'] = model.definition.genAiProviderName ?? model.apiType;
      }
      const core = coreOf(request.config);
      const maxTokens = core?.maxTokens ?? model?.defaults.maxTokens;
      const temperature = core?.temperature ?? model?.defaults.temperature;
      if (maxTokens != null) attributes['gen_ai.request.max_tokens'] = maxTokens;
      if (temperature != null) attributes['gen_ai.request.temperature'] = temperature;
      if (request.stream === true) attributes['gen_ai.request.stream'] = true;
      if (this.recordContent) {
        if (request.instruction != null) {
          attributes['gen_ai.system_instructions'] = contentJson(systemInstructions(request.instruction));
        }
        if (request.input !== undefined) {
          attributes['gen_ai.input.messages'] = contentJson(inputMessages(request.input));
        }
      }
      return new CallObservation(
        api,
        tracer,
        api.context.active(),
        this.clock.now(),
        operation,
        name,
        attributes,
        this.clock,
      );
    } catch (error) {
      this.warnOnce(error);
      return undefined;
    }
  }

  /** The call answered: cost on the response, totals, spend, spans. */
  succeed(
    observation: CallObservation | undefined,
    response: LLMResponse | undefined,
    request: CallRequest,
  ): void {
    try {
      const model = response?.model ?? this.requestedName(request);
      let cost: LLMCost | undefined;
      if (response != null) {
        const pricing = this.byName.get(response.model)?.pricing;
        if (pricing != null && response.usage != null) {
          cost = costOf(response.usage, pricing);
          response.cost = cost;
        }
      }
      if (model != null && this.byName.has(model)) {
        this.totals.record(model, response?.usage, cost, false);
        this.recorder?.record(model, response?.usage, cost, false);
      }
      if (observation !== undefined) endCallSpans(observation, response, cost, this.spanEnd);
    } catch (error) {
      this.warnOnce(error);
    }
  }

  /** The call failed: counted as an error of the model it failed on (when it got that far), spans. */
  fail(observation: CallObservation | undefined, error: unknown): void {
    try {
      const model = failureOf(error).model;
      if (model != null && this.byName.has(model)) {
        this.totals.record(model, undefined, undefined, true);
        this.recorder?.record(model, undefined, undefined, true);
      }
      if (observation !== undefined) failCallSpans(observation, error, this.spanEnd);
    } catch (failure) {
      this.warnOnce(failure);
    }
  }

  /** `llm.usage()`. */
  usage(): UsageTotals {
    return this.totals.snapshot((model) => this.byName.get(model)?.pricing != null);
  }

  /** Hands recorded spend to the ledger (`llm.close()`). Never rejects. */
  flush(): Promise<void> {
    return this.recorder?.flush() ?? Promise.resolve();
  }

  /** `"Provider/model"` of the call's target (a route or unknown name as given; the default when absent). */
  private requestedName(request: CallRequest): string | undefined {
    const given = Array.isArray(request.model) ? request.model[0] : request.model;
    if (typeof given === 'string' && this.byName.has(given)) return given;
    try {
      if (request.embedding === true)
        return this.models.resolveEmbedding(given as string | undefined).fullName;
      return given === undefined ? this.models.getDefault() : this.models.resolve(given as string).fullName;
    } catch {
      return typeof given === 'string' ? given : undefined;
    }
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.logger?.warn(
      { error: error instanceof Error ? error.message : String(error) },
      'switchboard: telemetry failed (the call itself is not affected)',
    );
  }
}
