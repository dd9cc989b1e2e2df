import type { SpendEntry, SpendLedger } from '../keys/spend-ledger.js';
import type { AccountingEntry, BudgetVerdict, GatewayAccounting } from './accounting.js';
import { utcDay } from './accounting.js';
import type { GatewayClient } from './auth.js';

const DAY_MS = 86_400_000;
const OK: BudgetVerdict = { ok: true };

/** Where `LedgerAccounting` reports a ledger that failed (pino-compatible `warn`). */
export interface AccountingLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Options of `LedgerAccounting`. */
export interface LedgerAccountingOptions {
  /**
   * Whether other processes write the same ledger (a Redis key store): then every budget check reads the
   * ledger. Otherwise (memory, file: one process) a client's spend of the day is read once and then kept
   * up to date in process, so a check costs a `Map` lookup. @default false
   * @example true
   */
  shared?: boolean;
  /** Warned once when the ledger refuses a row or cannot be read (never with a secret). @default none */
  logger?: AccountingLogger;
}

/** Today's spend of one client as this process knows it. */
interface Tally {
  day: string;
  /** What the ledger held when first read (undefined until then). */
  base: number | undefined;
  /** Spend this process recorded that day. */
  recorded: number;
  /** The first read of the ledger, while it runs (unshared ledgers only). */
  reading?: Promise<number>;
}

/**
 * Daily budgets and spend over the key store's `SpendLedger` (API.md §15/§16): `record` adds one row per
 * request under the token's name (in the background, never throwing); `check` sums the day's `costUsd` of the
 * token's rows and refuses at or over `budgetUsdPerDay` until the next 00:00 UTC. With a shared ledger
 * (Redis) the budget is one across every gateway process on it: `add` is one atomic Lua script, and each
 * check reads the ledger (one round trip, only for tokens with a budget). When the ledger cannot be read the
 * check falls back to what this process recorded that day (warned once), as the limits do during an outage.
 */
export class LedgerAccounting implements GatewayAccounting {
  private readonly shared: boolean;
  private readonly logger: AccountingLogger | undefined;
  private readonly tallies = new Map<string, Tally>();
  private readonly pending = new Set<Promise<void>>();
  private warnedWrite = false;
  private warnedRead = false;

  constructor(
    private readonly ledger: SpendLedger,
    options: LedgerAccountingOptions = {},
  ) {
    this.shared = options.shared ?? false;
    this.logger = options.logger;
  }

  check(client: GatewayClient, now: number): BudgetVerdict | Promise<BudgetVerdict> {
    const budget = client.budgetUsdPerDay;
    if (budget == null) return OK;
    const day = utcDay(now);
    const tally = this.tally(client.name, day);
    if (!this.shared && tally.base != null) return verdict(tally.base + tally.recorded, budget, now);
    return this.read(client.name, tally).then((spent) => verdict(spent, budget, now));
  }

  record(entry: AccountingEntry): void {
    const costUsd = entry.response?.cost?.totalUsd ?? 0;
    const row: SpendEntry = {
      day: entry.day,
      model: entry.model,
      client: entry.client,
      calls: 1,
      errors: entry.errors,
      promptTokens: entry.promptTokens,
      completionTokens: entry.completionTokens,
      cachedTokens: entry.cachedTokens,
      reasoningTokens: entry.reasoningTokens,
      costUsd,
    };
    if (costUsd > 0) this.tally(entry.client, entry.day).recorded += costUsd;
    let added: Promise<void>;
    try {
      added = this.ledger.add(row);
    } catch (error) {
      added = Promise.reject(error);
    }
    const settled = added.then(
      () => undefined,
      (error: unknown) => this.warnOnce('write', error),
    );
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  async close(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The client's tally of `day` (tallies of other days are dropped: only today's are checked). */
  private tally(client: string, day: string): Tally {
    let tally = this.tallies.get(client);
    if (tally == null || tally.day !== day) {
      if (tally != null && tally.day < day) this.dropBefore(day);
      tally = { day, base: undefined, recorded: 0 };
      this.tallies.set(client, tally);
    }
    return tally;
  }

  private dropBefore(day: string): void {
    for (const [client, tally] of this.tallies) if (tally.day < day) this.tallies.delete(client);
  }

  /**
   * The day's spend of `client`: the ledger's sum (shared: every time; unshared: once, as the base to which
   * what this process records is added — the records before the read are in the ledger already, memory and
   * file ledgers add synchronously).
   */
  private read(client: string, tally: Tally): Promise<number> {
    if (this.shared) {
      return this.sum(client, tally.day).then(
        (spent) => spent,
        (error: unknown) => {
          this.warnOnce('read', error);
          return tally.recorded;
        },
      );
    }
    const before = tally.recorded;
    tally.reading ??= this.sum(client, tally.day).then(
      (spent) => {
        tally.base = Math.max(0, spent - before);
        tally.reading = undefined;
        return tally.base + tally.recorded;
      },
      (error: unknown) => {
        this.warnOnce('read', error);
        tally.reading = undefined;
        return tally.recorded;
      },
    );
    return tally.reading;
  }

  private async sum(client: string, day: string): Promise<number> {
    let spent = 0;
    for (const row of await this.ledger.totals({ day, client })) spent += row.costUsd;
    return spent;
  }

  private warnOnce(what: 'read' | 'write', error: unknown): void {
    if (what === 'write' ? this.warnedWrite : this.warnedRead) return;
    if (what === 'write') this.warnedWrite = true;
    else this.warnedRead = true;
    this.logger?.warn(
      { error: error instanceof Error ? error.message : String(error) },
      what === 'write'
        ? 'switchboard gateway: could not record spend in the key store (budgets may under-count)'
        : 'switchboard gateway: could not read spend from the key store; budgets use this process’s own spend',
    );
  }
}

function verdict(spentUsd: number, budgetUsd: number, now: number): BudgetVerdict {
  if (spentUsd < budgetUsd) return OK;
  return { ok: false, spentUsd, budgetUsd, resetsInMs: DAY_MS - (((now % DAY_MS) + DAY_MS) % DAY_MS) };
}
