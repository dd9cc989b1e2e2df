import type { LLM } from '../client/llm.js';
import type { ResolvedGateway } from '../config/resolved-config.js';
import type { GatewayAccounting } from './accounting.js';
import type { LimitStore } from './limit-store.js';
import type { GatewayMetrics } from './metrics.js';
import type { ModelLabels } from './model-labels.js';

/** What every handler shares: the client, the settings, the stores, the metrics. */
export interface GatewayContext {
  readonly llm: LLM;
  readonly config: ResolvedGateway;
  readonly limits: LimitStore;
  readonly accounting: GatewayAccounting;
  readonly metrics: GatewayMetrics;
  readonly labels: ModelLabels;
  /** Lower-case names of the routes whose every target is configured `available: false`. */
  readonly unavailableRoutes: ReadonlySet<string>;
  /** Epoch ms (limits, expiry, accounting days). */
  readonly now: () => number;
  /** `debugLog` is on: access-log lines carry the sanitized request body. */
  readonly debugLog: boolean;
}
