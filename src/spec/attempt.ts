import type { LLMErrorCode } from './error-code.js';

/** One HTTP attempt of a call, as recorded by the pipeline (on responses and on errors). */
export interface AttemptRecord {
  /** 1-based attempt number (counted per model: a route's next target starts again at 1). */
  attempt: number;
  /**
   * `"Provider/model"` the attempt went to. Every attempt names it, routed or not: a call over a route
   * (API.md §14) lists the attempts of every target it tried, in order.
   * @example 'OpenAI/gpt-4o-mini'
   */
  model: string;
  /** Masked id of the key used (`sk-a…wxyz` or `key#1a2b3c`); never the key. */
  keyId?: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Error code of a failed attempt; absent on success. */
  code?: LLMErrorCode;
  /** Time spent on the attempt itself. */
  durationMs: number;
  /** Time waited before the attempt (backoff or waiting for a key to cool down). */
  waitMs: number;
  /**
   * When the attempt was sent: epoch ms by the client's clock (after `waitMs`). Telemetry builds the attempt's
   * span from it and `durationMs`. Set by the pipeline on every attempt it records.
   */
  startedAt?: number;
}
