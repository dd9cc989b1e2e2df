import type {
  AttemptRecord,
  LLMCost,
  LLMErrorCode,
  LLMResponse,
  LLMUsage,
  ToolResultRecord,
} from '../spec/index.js';
import type { Clock } from '../util/clock.js';
import type { CallObservation } from './call-observation.js';
import { contentJson, outputMessages } from './genai-content.js';
import { type OtelAttributes, type OtelContext, SPAN_KIND, STATUS_ERROR } from './otel-types.js';
import { toolTimingOf } from './tool-timings.js';

/** What finishing a call's spans needs besides the observation. */
export interface SpanEnd {
  clock: Clock;
  recordContent: boolean;
  /** `gen_ai.provider.name` of a `"Provider/model"` (undefined for names that are not configured models). */
  providerNameOf(model: string): string | undefined;
}

/** The failure of a call as the spans see it (an `LLMError`, or anything thrown). */
interface Failure {
  code: LLMErrorCode | string;
  message: string;
  model?: string;
  attempts: AttemptRecord[];
}

export function failureOf(error: unknown): Failure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
    model?: unknown;
    attempts?: unknown;
    name?: unknown;
  };
  const failure: Failure = {
    code:
      typeof record.code === 'string' ? record.code : typeof record.name === 'string' ? record.name : 'Error',
    message: typeof record.message === 'string' ? record.message : String(error),
    attempts: Array.isArray(record.attempts) ? (record.attempts as AttemptRecord[]) : [],
  };
  if (typeof record.model === 'string') failure.model = record.model;
  return failure;
}

function usageAttributes(attributes: OtelAttributes, usage: LLMUsage): void {
  attributes['gen_ai.usage.input_tokens'] = usage.promptTokens;
  attributes['gen_ai.usage.output_tokens'] = usage.completionTokens;
  // Semconv: recommended "when available and non-zero" (fewer attributes: less work per span for the SDK).
  if (usage.cachedTokens != null && usage.cachedTokens > 0) {
    attributes['gen_ai.usage.cache_read.input_tokens'] = usage.cachedTokens;
  }
  if (usage.reasoningTokens != null && usage.reasoningTokens > 0) {
    attributes['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens;
  }
}

/** The targets a call went to: the route runner's reports, else the distinct `model`s of its attempts. */
function targetsOf(observation: CallObservation, attempts: readonly AttemptRecord[]): string[] {
  if (observation.targets != null) return observation.targets.map((target) => target.model);
  const models: string[] = [];
  for (const attempt of attempts) {
    if (attempt.model != null && !models.includes(attempt.model)) models.push(attempt.model);
  }
  return models;
}

/** One child span per HTTP attempt, from its record (start, duration, key id, status, code, wait). */
function attemptSpans(
  observation: CallObservation,
  parent: OtelContext,
  attempts: readonly AttemptRecord[],
  model: string | undefined,
  end: SpanEnd,
): void {
  for (const attempt of attempts) {
    const target = attempt.model ?? model;
    const attributes: OtelAttributes = { 'switchboard.wait_ms': attempt.waitMs };
    if (attempt.attempt > 1) attributes['http.request.resend_count'] = attempt.attempt - 1;
    if (attempt.status != null) attributes['http.response.status_code'] = attempt.status;
    if (attempt.keyId != null) attributes['switchboard.key_id'] = attempt.keyId;
    if (attempt.code != null) attributes['error.type'] = attempt.code;
    // A route's target (the call span names the requested route or model).
    if (attempt.model != null) {
      attributes['gen_ai.request.model'] = attempt.model;
      const provider = end.providerNameOf(attempt.model);
      if (provider != null) attributes['gen_ai.provider.name'] = provider;
    }
    const startTime = attempt.startedAt ?? observation.startedAt;
    const span = observation.tracer.startSpan(
      target != null ? `attempt ${attempt.attempt} ${target}` : `attempt ${attempt.attempt}`,
      { kind: SPAN_KIND.CLIENT, attributes, startTime },
      parent,
    );
    if (attempt.code != null) span.setStatus({ code: STATUS_ERROR, message: attempt.code });
    span.end(startTime + attempt.durationMs);
  }
}

/** One child span per tool the automatic loop ran (`execute_tool {name}`). */
function toolSpans(
  observation: CallObservation,
  parent: OtelContext,
  results: readonly ToolResultRecord[],
  end: SpanEnd,
): void {
  for (const result of results) {
    const { call } = result;
    const attributes: OtelAttributes = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': call.name,
      'gen_ai.tool.type': 'function',
    };
    if (call.id !== '') attributes['gen_ai.tool.call.id'] = call.id;
    if (result.error != null) attributes['error.type'] = result.error.error_type;
    if (end.recordContent) {
      attributes['gen_ai.tool.call.arguments'] = contentJson(call.arguments);
      if (result.error == null) attributes['gen_ai.tool.call.result'] = contentJson(result.output);
    }
    const timing = toolTimingOf(call);
    const startTime = timing?.startedAt ?? observation.startedAt;
    const span = observation.tracer.startSpan(
      `execute_tool ${call.name}`,
      { kind: SPAN_KIND.INTERNAL, attributes, startTime },
      parent,
    );
    if (result.error != null) span.setStatus({ code: STATUS_ERROR, message: result.error.message });
    span.end(startTime + (timing?.durationMs ?? 0));
  }
}

/** The call span (started at the call's start), then its children, then its end. */
function callSpanTree(
  observation: CallObservation,
  attributes: OtelAttributes,
  attempts: readonly AttemptRecord[],
  model: string | undefined,
  toolResults: readonly ToolResultRecord[] | undefined,
  error: string | undefined,
  end: SpanEnd,
): void {
  const targets = targetsOf(observation, attempts);
  // Only when the call went somewhere other than the one model it named (a route, a list, a fallback).
  if (targets.length > 1 || (targets.length === 1 && targets[0] !== observation.requestedModel)) {
    attributes['switchboard.route.targets'] = targets;
  }
  if (observation.firstAt != null) {
    attributes['gen_ai.response.time_to_first_chunk'] = (observation.firstAt - observation.startedAt) / 1000;
  }
  const name = observation.requestedModel;
  const span = observation.tracer.startSpan(
    name != null ? `${observation.operation} ${name}` : observation.operation,
    { kind: SPAN_KIND.CLIENT, attributes, startTime: observation.startedAt },
    observation.parent,
  );
  for (const target of observation.targets ?? []) {
    span.addEvent(
      'switchboard.route.target',
      { 'gen_ai.request.model': target.model, 'switchboard.route.outcome': target.outcome },
      target.at,
    );
  }
  const parent = observation.api.trace.setSpan(observation.parent, span);
  attemptSpans(observation, parent, attempts, model, end);
  if (toolResults != null) toolSpans(observation, parent, toolResults, end);
  if (error != null) span.setStatus({ code: STATUS_ERROR, message: error });
  span.end(end.clock.now());
}

/** Records a successful call's span tree: the call span with the response's attributes, attempts and tools. */
export function endCallSpans(
  observation: CallObservation,
  response: LLMResponse | undefined,
  cost: LLMCost | undefined,
  end: SpanEnd,
): void {
  const attributes = observation.attributes;
  if (response != null) {
    attributes['gen_ai.response.model'] = response.model;
    const provider = end.providerNameOf(response.model);
    if (provider != null) attributes['gen_ai.provider.name'] = provider;
    attributes['gen_ai.response.finish_reasons'] = [response.finishReason];
    if (response.usage != null) usageAttributes(attributes, response.usage);
    if (end.recordContent) attributes['gen_ai.output.messages'] = contentJson(outputMessages(response));
  }
  if (cost != null) attributes['switchboard.cost_usd'] = cost.totalUsd;
  callSpanTree(
    observation,
    attributes,
    response?.attempts ?? [],
    response?.model,
    response?.toolResults,
    undefined,
    end,
  );
}

/** Records a failed call's span tree: `error.type` and status ERROR on the call span, its attempt spans. */
export function failCallSpans(observation: CallObservation, error: unknown, end: SpanEnd): void {
  const failure = failureOf(error);
  const attributes = observation.attributes;
  attributes['error.type'] = failure.code;
  if (failure.model != null) {
    const provider = end.providerNameOf(failure.model);
    if (provider != null) attributes['gen_ai.provider.name'] = provider;
  }
  callSpanTree(observation, attributes, failure.attempts, failure.model, undefined, failure.message, end);
}
