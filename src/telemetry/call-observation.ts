import type { Clock } from '../util/clock.js';
import type { OtelApi, OtelContext, OtelSpan, OtelTracer } from './otel-types.js';

/** The GenAI operation of a call (`gen_ai.operation.name`). */
export type GenAiOperation = 'chat' | 'embeddings' | 'generate_content';

/** How a route target ended, for `CallObservation.target`: `ok`, an `LLMErrorCode`, or `skipped`. */
export type TargetOutcome = string;

/**
 * One traced call: its live span (started when the call started, under the caller's active context) and what
 * the end of the call needs to finish the span tree. Made only when a tracer records (`ClientTelemetry.begin`).
 */
export class CallObservation {
  /** Clock time of the first stream event (time to first chunk). */
  firstAt: number | undefined;
  /** Route targets reported by the route runner, in order. */
  targets: { model: string; outcome: TargetOutcome }[] | undefined;

  constructor(
    readonly api: OtelApi,
    readonly tracer: OtelTracer,
    readonly span: OtelSpan,
    /** The context the call span was started in (its parent). */
    readonly parent: OtelContext,
    /** Clock time the call started. */
    readonly startedAt: number,
    readonly operation: GenAiOperation,
    private readonly clock: Clock,
  ) {}

  /** A stream delivered its first event. */
  first(): void {
    this.firstAt ??= this.clock.now();
  }

  /**
   * A route target was tried (`outcome` `ok` or its error code) or skipped (`skipped`): an event on the call
   * span, and the target in its `switchboard.route.targets` attribute. For the route runner (API.md §14).
   */
  target(model: string, outcome: TargetOutcome): void {
    this.targets ??= [];
    this.targets.push({ model, outcome });
    this.span.addEvent(
      'switchboard.route.target',
      { 'gen_ai.request.model': model, 'switchboard.route.outcome': outcome },
      this.clock.now(),
    );
  }
}
