import { emptySpendRow, type SpendEntry, type SpendLedger, spendRowKey } from '../keys/spend-ledger.js';
import type { LLMCost, LLMUsage } from '../spec/index.js';
import type { Clock } from '../util/clock.js';

const DAY_MS = 86_400_000;

/** Where the recorder reports a ledger that refused its entries (pino-compatible `warn`). */
export interface SpendRecorderLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface SpendRecorderOptions {
  ledger: SpendLedger;
  clock: Clock;
  /** Rows are handed to the ledger at most once per interval (and on `flush`). @default 1000 */
  flushIntervalMs?: number;
  /** Gateway client-token name of every row. @default none (library calls) */
  client?: string;
  logger?: SpendRecorderLogger;
}

/**
 * Records each call's spend in a `SpendLedger` off the hot path: a call adds its counters to an in-process row
 * for (UTC day, model) — a `Map` lookup, no I/O — and the rows go to the ledger at most once per interval and on
 * `flush` (`llm.close()`). A ledger that fails is warned about once; it never fails or delays a call.
 */
export class SpendRecorder {
  private readonly ledger: SpendLedger;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly client: string | undefined;
  private readonly logger: SpendRecorderLogger | undefined;
  private rows = new Map<string, SpendEntry>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;
  private warned = false;
  private day = '';
  private dayEnds = 0;

  constructor(options: SpendRecorderOptions) {
    this.ledger = options.ledger;
    this.clock = options.clock;
    this.intervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.client = options.client;
    this.logger = options.logger;
  }

  /** Counts one call of `model` (failed or not) with its usage and cost. */
  record(model: string, usage: LLMUsage | undefined, cost: LLMCost | undefined, failed: boolean): void {
    const day = this.today();
    const key = spendRowKey(day, model, this.client);
    let row = this.rows.get(key);
    if (row === undefined) {
      row = emptySpendRow(day, model, this.client);
      this.rows.set(key, row);
    }
    row.calls++;
    if (failed) row.errors++;
    if (usage != null) {
      row.promptTokens += usage.promptTokens;
      row.completionTokens += usage.completionTokens;
      row.cachedTokens += usage.cachedTokens ?? 0;
      row.reasoningTokens += usage.reasoningTokens ?? 0;
    }
    if (cost != null) row.costUsd += cost.totalUsd;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.intervalMs);
      this.timer.unref?.();
    }
  }

  /** Hands the pending rows to the ledger; resolves when it took them. Never rejects. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing !== undefined) await this.flushing;
    if (this.rows.size === 0) return;
    const rows = [...this.rows.values()];
    this.rows = new Map();
    this.flushing = Promise.all(rows.map((row) => this.ledger.add(row)))
      .then(
        () => undefined,
        (error: unknown) => {
          if (this.warned) return;
          this.warned = true;
          this.logger?.warn(
            { error: error instanceof Error ? error.message : String(error) },
            'switchboard: could not record spend in the key store',
          );
        },
      )
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }

  /** The UTC day of now, recomputed only when a day ends. */
  private today(): string {
    const now = this.clock.now();
    if (now >= this.dayEnds || now < this.dayEnds - DAY_MS) {
      const start = now - (((now % DAY_MS) + DAY_MS) % DAY_MS);
      this.day = new Date(start).toISOString().slice(0, 10);
      this.dayEnds = start + DAY_MS;
    }
    return this.day;
  }
}
