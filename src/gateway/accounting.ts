import type { LLMResponse } from '../spec/index.js';
import type { GatewayClient } from './auth.js';

/** Whether a client may spend today. */
export type BudgetVerdict =
  | { ok: true }
  | { ok: false; spentUsd: number; budgetUsd: number; resetsInMs: number };

/** What one finished request spent (one `SpendLedger` entry, API.md §16). */
export interface AccountingEntry {
  /** UTC day of the request, `YYYY-MM-DD`. */
  day: string;
  /** The token's name. */
  client: string;
  /** `"Provider/model"` that answered, else the model asked for. */
  model: string;
  /** `1` when the call failed. */
  errors: 0 | 1;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** The answer, when there is one (its cost, once the library computes it). */
  response?: LLMResponse;
}

/**
 * The seam of daily budgets and spend (API.md §15/§16): one `check` before a request is admitted, one
 * `record` after it ended. The gateway calls both on every admitted request; `noAccounting` is the
 * implementation until the library prices responses.
 */
export interface GatewayAccounting {
  /** Before the call: over `budgetUsdPerDay` → 429 `insufficient_quota`. */
  check(client: GatewayClient, now: number): BudgetVerdict | Promise<BudgetVerdict>;
  /** After the call (success or failure). Never throws; may write in the background. */
  record(entry: AccountingEntry): void;
  /** Flushes what `record` buffered (the SIGTERM drain awaits it). */
  close(): Promise<void>;
}

const OK: BudgetVerdict = { ok: true };

/** No budgets enforced, nothing recorded. */
export const noAccounting: GatewayAccounting = {
  check: () => OK,
  record: () => undefined,
  close: () => Promise.resolve(),
};

const DAY_MS = 86_400_000;
let cachedDay = { start: 0, text: '1970-01-01' };

/** `YYYY-MM-DD` (UTC) of an epoch-ms time (the current day's text is kept: this runs on every request). */
export function utcDay(time: number): string {
  const start = time - (time % DAY_MS);
  if (start !== cachedDay.start) cachedDay = { start, text: new Date(start).toISOString().slice(0, 10) };
  return cachedDay.text;
}
