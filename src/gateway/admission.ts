import { randomUUID } from 'node:crypto';
import { LLMError } from '../errors/llm-error.js';
import type { LLMResponse } from '../spec/index.js';
import { utcDay } from './accounting.js';
import type { Exchange } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';
import { GatewayError } from './gateway-error.js';
import type { LimitName } from './limit-store.js';

/** An admitted request: what `settle` releases. */
export interface Lease {
  readonly id: string;
  /** Whether the limit store holds it (tokens without limits skip the store). */
  readonly limited: boolean;
}

const LIMIT_WORDS: Record<LimitName, string> = {
  rpm: 'requests per minute',
  tpm: 'tokens per minute',
  maxConcurrent: 'concurrent requests',
};

/**
 * 403 when the client's token may not use `model` (any name of a fallback list); 404 `model_not_found` for a
 * route whose every target is unavailable (the library refuses an unavailable model itself). The model is
 * recorded on the exchange first, so the access log names it either way.
 */
export function authorizeModel(context: GatewayContext, exchange: Exchange, model: string | string[]): void {
  exchange.requested = typeof model === 'string' ? model : model.join(',');
  const client = exchange.client;
  const denied = client?.models.firstDenied(model);
  if (client != null && denied != null) {
    throw new GatewayError(
      403,
      'permission_error',
      'model_not_allowed',
      `The gateway token "${client.name}" may not use model "${denied}".`,
      { param: 'model' },
    );
  }
  const routes = context.unavailableRoutes;
  if (routes.size > 0 && typeof model === 'string' && routes.has(model.trim().toLowerCase())) {
    throw new GatewayError(
      404,
      'invalid_request_error',
      'model_not_found',
      `The route "${model}" is unavailable: every target is configured available: false.`,
      { param: 'model', libraryCode: 'MODEL_NOT_FOUND' },
    );
  }
}

/**
 * Admits the request under its client's limits (rpm, tpm, maxConcurrent; one atomic store call) and daily
 * budget (the accounting seam).
 * @throws GatewayError 429 with `retry-after`: `rate_limit_exceeded` (type `requests` or `tokens`) or `insufficient_quota`.
 */
export async function admit(context: GatewayContext, exchange: Exchange): Promise<Lease> {
  const client = exchange.client;
  if (client == null) return { id: '', limited: false };
  const now = context.now();
  if (client.budgetUsdPerDay != null) {
    const verdict = await context.accounting.check(client, now);
    if (!verdict.ok) {
      throw new GatewayError(
        429,
        'insufficient_quota',
        'insufficient_quota',
        `The gateway token "${client.name}" has spent its daily budget (${verdict.spentUsd.toFixed(2)} of ${verdict.budgetUsd} USD); it resets at 00:00 UTC.`,
        // The official SDKs retry a 429 unless told not to; a spent budget only returns at midnight.
        { retryAfterMs: verdict.resetsInMs, headers: { 'x-should-retry': 'false' } },
      );
    }
  }
  if (!client.limited) return { id: '', limited: false };
  const id = randomUUID();
  const admission = await context.limits.acquire(client.name, client, id, now);
  if (!admission.ok) {
    throw new GatewayError(
      429,
      admission.limit === 'tpm' ? 'tokens' : 'requests',
      'rate_limit_exceeded',
      `The gateway token "${client.name}" is over its limit of ${LIMIT_WORDS[admission.limit]}; retry in ${Math.ceil(admission.retryAfterMs / 1000)} s.`,
      { retryAfterMs: admission.retryAfterMs },
    );
  }
  return { id, limited: true };
}

/** The outcome of a call, for the exchange (access log, metrics). */
export function noteResponse(exchange: Exchange, response: LLMResponse): void {
  exchange.answered = response.model;
  exchange.attempts += response.attempts.length;
  if (response.usage != null) exchange.usage = response.usage;
  if (response.cost != null) exchange.costUsd = response.cost.totalUsd;
  if (response.warnings.length > 0) exchange.warnings = [...(exchange.warnings ?? []), ...response.warnings];
}

export function noteError(exchange: Exchange, error: unknown): void {
  if (LLMError.isInstance(error)) {
    exchange.libraryCode = error.code;
    exchange.attempts += error.attempts?.length ?? 0;
  }
}

/**
 * The request ended (answered, failed, or its client left): frees its concurrency slot, counts its tokens
 * toward `tpm`, and hands the spend to the accounting seam.
 * @param response the answer, when the call gave one (its `cost` is the request's spend)
 * @param failed whether the call failed (default: no `response`; embeddings answer without one)
 */
export function settle(
  context: GatewayContext,
  exchange: Exchange,
  lease: Lease,
  response?: LLMResponse,
  failed = response == null,
): void {
  const client = exchange.client;
  if (client == null) return;
  const usage = exchange.usage;
  const now = context.now();
  if (lease.limited) context.limits.release(client.name, client, lease.id, usage?.totalTokens ?? 0, now);
  context.accounting.record({
    day: utcDay(now),
    client: client.name,
    model: exchange.answered ?? exchange.requested ?? '-',
    errors: failed ? 1 : 0,
    promptTokens: usage?.promptTokens ?? 0,
    completionTokens: usage?.completionTokens ?? 0,
    cachedTokens: usage?.cachedTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    ...(response != null ? { response } : {}),
  });
}
