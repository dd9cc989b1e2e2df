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
  /** The answer, when there is one (`response.cost` is what the request spent). */
  response?: LLMResponse;
}

/**
 * The seam of daily budgets and spend (API.md §15/§16): one `check` before a request is admitted, one
 * `record` after it ended. The gateway calls `check` for tokens with `budgetUsdPerDay` and `record` for every
 * admitted request; its default is `LedgerAccounting` over the key store's `SpendLedger`.
 */
export interface GatewayAccounting {
  /** Before the call (tokens with `budgetUsdPerDay` only): at or over it → 429 `insufficient_quota`. */
  check(client: GatewayClient, now: number): BudgetVerdict | Promise<BudgetVerdict>;
  /** After the call (success or failure). Never throws; may write in the background. */
  record(entry: AccountingEntry): void;
  /** Flushes what `record` buffered (the SIGTERM drain awaits it). */
  close(): Promise<void>;
}

const OK: BudgetVerdict = { ok: true };

/** No budgets enforced, nothing recorded (a key store without a ledger). */
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
