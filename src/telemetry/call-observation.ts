import type { Clock } from '../util/clock.js';
import type { OtelApi, OtelAttributes, OtelContext, OtelTracer } from './otel-types.js';

/** The GenAI operation of a call (`gen_ai.operation.name`). */
export type GenAiOperation = 'chat' | 'embeddings' | 'generate_content';

/** How a route target ended, for `CallObservation.target`: `ok`, an `LLMErrorCode`, or `skipped`. */
export type TargetOutcome = string;

/**
 * One traced call, from its start to its end. Made only when a tracer records (`ClientTelemetry.begin`); the
 * spans themselves are made when the call ends, with their real start times (the call's start, each attempt's
 * `startedAt`, each tool's start), in one pass: the fewest SDK calls, and nothing held open during the call.
 */
export class CallObservation {
  /** Clock time of the first stream event (time to first chunk). */
  firstAt: number | undefined;
  /** Route targets reported by the route runner, in order, with the time of the report. */
  targets: { model: string; outcome: TargetOutcome; at: number }[] | undefined;

  constructor(
    readonly api: OtelApi,
    readonly tracer: OtelTracer,
    /** The caller's active context when the call started (the call span's parent). */
    readonly parent: OtelContext,
    /** Clock time the call started. */
    readonly startedAt: number,
    readonly operation: GenAiOperation,
    /** `gen_ai.request.model`: the requested `"Provider/model"`, route or name. */
    readonly requestedModel: string | undefined,
    /** The request's attributes (operation, model, provider, parameters, content). */
    readonly attributes: OtelAttributes,
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
    this.targets.push({ model, outcome, at: this.clock.now() });
  }
}
