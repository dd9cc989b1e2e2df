import type { LLMCost } from './usage.js';

/**
 * An OpenTelemetry `Tracer` (`@opentelemetry/api`), described structurally so this package's types do not
 * depend on the optional peer: any real tracer fits.
 */
export interface TelemetryTracer {
  startSpan(name: string, options?: object, context?: object): unknown;
}

/**
 * OpenTelemetry tracing of calls (API.md §16). Spans are made only when `@opentelemetry/api` is installed
 * and a tracer provider is registered (`trace.setGlobalTracerProvider`, `NodeSDK.start()`), or `tracer`
 * is given; otherwise nothing is loaded and no span object is built. `false` turns tracing off even when
 * a provider is registered (usage, cost and `llm.usage()` are kept either way).
 *
 * @example { recordContent: false }
 * @example { tracer: trace.getTracer('my-bot'), recordContent: true }
 */
export interface TelemetryConfig {
  /** The tracer spans are made with. @default the global tracer provider's `switchboard-llm` tracer */
  tracer?: TelemetryTracer;
  /**
   * Record prompt and answer text (`gen_ai.system_instructions`, `gen_ai.input.messages`,
   * `gen_ai.output.messages`) and tool arguments and results (`gen_ai.tool.call.arguments`/`.result`) as
   * span attributes. They may hold personal data; media is recorded by URL or as a size, never as bytes.
   * @default false
   */
  recordContent?: boolean;
}

/** Totals of one model since the client started (`llm.usage()`). */
export interface ModelUsageTotals {
  /** Calls answered by this model, and calls that failed on it. */
  calls: number;
  /** Of `calls`, those that failed. */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Of `promptTokens`, those served from the provider's cache. */
  cachedTokens: number;
  /** Of `completionTokens`, those spent on reasoning. */
  reasoningTokens: number;
  /** The summed `response.cost` of the calls; absent when the model has no `pricing`. */
  cost?: LLMCost;
}

/** `llm.usage()`: totals since the client started, by `"Provider/model"`. */
export type UsageTotals = Record<string, ModelUsageTotals>;
