import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KeyStats } from '../spec/index.js';
import type { Exchange } from './exchange.js';

const KEY_STATUSES: readonly KeyStats['status'][] = [
  'unused',
  'healthy',
  'warning',
  'cooldown',
  'error',
  'disabled',
];

/** What the metrics need of the client: its providers' key health. */
export interface KeyHealthSource {
  providers: readonly string[];
  stats(provider: string): Promise<KeyStats[]>;
}

/**
 * The gateway's Prometheus metrics, in a registry of their own (`GET /metrics`): requests and latency by
 * endpoint, model and token name; stream time to first byte; tokens by kind; cost in USD (`response.cost`);
 * upstream attempts; requests in flight; key status and cooldown per provider and masked key id (read at scrape
 * time). Labels are bounded:
 * `model` is a configured model or route (`unknown` otherwise), `token` a configured token name.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Tally();
  private readonly duration: Histogram<'endpoint' | 'model' | 'token'>;
  private readonly firstByte: Histogram<'model' | 'token'>;
  private readonly tokens = new Tally();
  private readonly cost = new Tally();
  private readonly attempts = new Tally();
  /** Requests in flight: a plain count, read into its gauge at scrape time (no prom-client call per request). */
  private inFlight = 0;
  /** Children by label values: `labels()` hashes its arguments on every call. */
  private readonly children = new Map<string, unknown>();

  constructor(keys: KeyHealthSource) {
    const registers = [this.registry];
    this.requests.publish({
      name: 'switchboard_gateway_requests_total',
      help: 'Requests answered, by endpoint, model, client token name and HTTP status.',
      labelNames: ['endpoint', 'model', 'token', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'switchboard_gateway_request_duration_seconds',
      help: 'Time from the request to the end of the response (streams: to the last byte).',
      labelNames: ['endpoint', 'model', 'token'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.firstByte = new Histogram({
      name: 'switchboard_gateway_stream_first_byte_seconds',
      help: 'Time from a stream request to its first byte.',
      labelNames: ['model', 'token'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.tokens.publish({
      name: 'switchboard_gateway_tokens_total',
      help: 'Tokens used, by model, client token name and kind (prompt, completion, cached, reasoning).',
      labelNames: ['model', 'token', 'kind'],
      registers,
    });
    this.cost.publish({
      name: 'switchboard_gateway_cost_usd_total',
      help: 'What the answers cost in USD (response.cost, from the models’ pricing), by model and client token name.',
      labelNames: ['model', 'token'],
      registers,
    });
    this.attempts.publish({
      name: 'switchboard_gateway_upstream_attempts_total',
      help: 'HTTP attempts made to providers, by model.',
      labelNames: ['model'],
      registers,
    });
    const metrics = this;
    new Gauge({
      name: 'switchboard_gateway_requests_in_flight',
      help: 'Requests being handled.',
      registers,
      collect() {
        this.set(metrics.inFlight);
      },
    });
    new Gauge({
      name: 'switchboard_key_status',
      help: 'Key health: 1 for the status a key is in, by provider and masked key id.',
      labelNames: ['provider', 'key_id', 'status'],
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          keys.providers.map(async (provider) => {
            for (const key of await keys.stats(provider).catch(() => [])) {
              for (const name of KEY_STATUSES)
                this.set({ provider, key_id: key.keyId, status: name }, key.status === name ? 1 : 0);
            }
          }),
        );
      },
    });
    new Gauge({
      name: 'switchboard_key_cooldown_seconds',
      help: 'Longest cooldown left on a key, by provider and masked key id.',
      labelNames: ['provider', 'key_id'],
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          keys.providers.map(async (provider) => {
            for (const key of await keys.stats(provider).catch(() => []))
              this.set({ provider, key_id: key.keyId }, key.cooldownSecondsLeft);
          }),
        );
      },
    });
  }

  started(): void {
    this.inFlight++;
  }

  /** A request ended: counted under `model` (a bounded label) and its client's token name. */
  ended(exchange: Exchange, model: string): void {
    this.inFlight--;
    const token = exchange.client?.name ?? '-';
    const endpoint = exchange.route;
    const status = exchange.status;
    this.requests.add(`${endpoint}\0${model}\0${token}\0${status}`, 1, () => ({
      endpoint,
      model,
      token,
      status: String(status),
    }));
    const seconds = exchange.elapsedMs() / 1000;
    this.child(`d\0${endpoint}\0${model}\0${token}`, () =>
      this.duration.labels(endpoint, model, token),
    ).observe(seconds);
    if (exchange.ttfbMs != null)
      this.child(`f\0${model}\0${token}`, () => this.firstByte.labels(model, token)).observe(
        exchange.ttfbMs / 1000,
      );
    if (exchange.attempts > 0) this.attempts.add(model, exchange.attempts, () => ({ model }));
    const usage = exchange.usage;
    if (usage != null) {
      const count = (kind: string, value: number | undefined) => {
        if (value != null && value > 0)
          this.tokens.add(`${model}\0${token}\0${kind}`, value, () => ({ model, token, kind }));
      };
      count('prompt', usage.promptTokens);
      count('completion', usage.completionTokens);
      count('cached', usage.cachedTokens);
      count('reasoning', usage.reasoningTokens);
    }
    const cost = exchange.costUsd;
    if (cost != null && cost > 0) this.cost.add(`${model}\0${token}`, cost, () => ({ model, token }));
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private child<T>(key: string, make: () => T): T {
    let child = this.children.get(key) as T | undefined;
    if (child == null) {
      child = make();
      this.children.set(key, child);
    }
    return child;
  }
}

/**
 * A counter kept as plain sums by label values and handed to prom-client only at scrape time: a prom-client
 * `inc` hashes its labels on every call, even through a `labels()` child.
 */
class Tally {
  private readonly rows = new Map<string, { labels: Record<string, string>; value: number }>();

  /** Adds `value` to the series `key` (its labels made by `labels` the first time). */
  add(key: string, value: number, labels: () => Record<string, string>): void {
    const row = this.rows.get(key);
    if (row != null) row.value += value;
    else this.rows.set(key, { labels: labels(), value });
  }

  /** Registers the Prometheus counter that shows these sums. */
  publish(configuration: { name: string; help: string; labelNames: string[]; registers: Registry[] }): void {
    const rows = this.rows;
    new Counter({
      ...configuration,
      collect() {
        this.reset();
        for (const row of rows.values()) this.inc(row.labels, row.value);
      },
    });
  }
}
