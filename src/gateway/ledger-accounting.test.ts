import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import {
  MemorySpendLedger,
  type SpendEntry,
  type SpendFilter,
  type SpendLedger,
} from '../keys/spend-ledger.js';
import type { LLMResponse } from '../spec/index.js';
import type { AccountingEntry } from './accounting.js';
import { LedgerAccounting } from './ledger-accounting.js';
import { ALLOW_ALL } from './model-globs.js';

const DAY = '2027-05-02';
const NOON = Date.UTC(2027, 4, 2, 12);
const capped = { name: 'capped', models: ALLOW_ALL, limited: false, budgetUsdPerDay: 1 };
const free = { name: 'free', models: ALLOW_ALL, limited: false };

function entry(client: string, costUsd: number | undefined, day = DAY): AccountingEntry {
  const response =
    costUsd != null
      ? ({ cost: { inputUsd: costUsd, outputUsd: 0, totalUsd: costUsd } } as LLMResponse)
      : undefined;
  return {
    day,
    client,
    model: 'OpenAI/gpt-4o-mini',
    errors: 0,
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 0,
    reasoningTokens: 0,
    ...(response != null ? { response } : {}),
  };
}

/** A memory ledger counting `totals` reads; `failReads`/`failAdds` make them reject. */
class CountingLedger implements SpendLedger {
  readonly inner = new MemorySpendLedger();
  reads = 0;
  failReads = false;
  failAdds = false;
  add(row: SpendEntry): Promise<void> {
    if (this.failAdds) return Promise.reject(new Error('store down'));
    return this.inner.add(row);
  }
  totals(filter?: SpendFilter): Promise<SpendEntry[]> {
    this.reads++;
    if (this.failReads) {
      return Promise.reject(new LLMError('API_REQUEST_FAILED', 'the Redis key store cannot be reached'));
    }
    return this.inner.totals(filter);
  }
}

function logger() {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  return { warnings, warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }) };
}

describe('LedgerAccounting', () => {
  it('records one row per request (cost from response.cost, 0 without) under the token name', async () => {
    const ledger = new MemorySpendLedger();
    const accounting = new LedgerAccounting(ledger);
    accounting.record(entry('capped', 0.25));
    accounting.record({ ...entry('capped', undefined), errors: 1 });
    await accounting.close();
    expect(await ledger.totals()).toEqual([
      {
        day: DAY,
        model: 'OpenAI/gpt-4o-mini',
        client: 'capped',
        calls: 2,
        errors: 1,
        promptTokens: 20,
        completionTokens: 10,
        cachedTokens: 0,
        reasoningTokens: 0,
        costUsd: 0.25,
      },
    ]);
  });

  it('refuses at or over the budget, with the time to the next 00:00 UTC; tokens without a budget pay no read', async () => {
    const ledger = new CountingLedger();
    const accounting = new LedgerAccounting(ledger);
    expect(await accounting.check(free, NOON)).toEqual({ ok: true });
    expect(ledger.reads).toBe(0);
    for (const cost of [0.5, 0.25]) {
      expect(await accounting.check(capped, NOON)).toEqual({ ok: true });
      accounting.record(entry('capped', cost));
    }
    expect(await accounting.check(capped, NOON)).toEqual({ ok: true }); // 0.75
    accounting.record(entry('capped', 0.25));
    expect(await accounting.check(capped, NOON)).toEqual({
      ok: false,
      spentUsd: 1,
      budgetUsd: 1,
      resetsInMs: 12 * 3_600_000,
    });
    // Another client's spend is its own.
    expect(await accounting.check({ ...capped, name: 'other' }, NOON)).toEqual({ ok: true });
    // The next UTC day starts at 0.
    expect(await accounting.check(capped, Date.UTC(2027, 4, 3))).toEqual({ ok: true });
  });

  it('one process (memory, file): reads the ledger once per client and day, then counts in process', async () => {
    const ledger = new CountingLedger();
    // Spend of an earlier run of the same day, already in the file.
    await ledger.inner.add({ ...entry('capped', 0), calls: 1, errors: 0, costUsd: 0.9 } as SpendEntry);
    const accounting = new LedgerAccounting(ledger);
    expect(await accounting.check(capped, NOON)).toEqual({ ok: true });
    expect(await accounting.check(capped, NOON)).toEqual({ ok: true });
    expect(ledger.reads).toBe(1);
    accounting.record(entry('capped', 0.1));
    const verdict = accounting.check(capped, NOON);
    expect(verdict).toMatchObject({ ok: false, budgetUsd: 1 }); // synchronous: no read
    expect(ledger.reads).toBe(1);
  });

  it('shared (redis): every check reads the ledger, so spend recorded by another process counts', async () => {
    const ledger = new CountingLedger();
    const accounting = new LedgerAccounting(ledger, { shared: true });
    expect(await accounting.check(capped, NOON)).toEqual({ ok: true });
    await ledger.add({ ...entry('capped', 0), calls: 1, errors: 0, costUsd: 1.5 } as SpendEntry);
    expect(await accounting.check(capped, NOON)).toMatchObject({ ok: false, spentUsd: 1.5 });
    expect(ledger.reads).toBe(2);
  });

  it('a ledger that cannot be read: the budget counts this process’s own spend, warned once', async () => {
    const ledger = new CountingLedger();
    ledger.failReads = true;
    const log = logger();
    const accounting = new LedgerAccounting(ledger, { shared: true, logger: log });
    accounting.record(entry('capped', 0.6));
    expect(await accounting.check(capped, NOON)).toEqual({ ok: true });
    accounting.record(entry('capped', 0.6));
    expect(await accounting.check(capped, NOON)).toMatchObject({ ok: false, spentUsd: 1.2 });
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]?.msg).toContain('could not read spend');
    expect(log.warnings[0]?.obj).toEqual({ error: 'the Redis key store cannot be reached' });
  });

  it('record never throws (a rejecting or throwing add), warns once; close awaits the adds in flight', async () => {
    const ledger = new CountingLedger();
    ledger.failAdds = true;
    const log = logger();
    const accounting = new LedgerAccounting(ledger, { logger: log });
    expect(() => accounting.record(entry('capped', 0.1))).not.toThrow();
    expect(() => accounting.record(entry('capped', 0.1))).not.toThrow();
    const throwing: SpendLedger = {
      add: () => {
        throw new Error('sync failure');
      },
      totals: () => Promise.resolve([]),
    };
    expect(() => new LedgerAccounting(throwing).record(entry('capped', 0.1))).not.toThrow();
    await accounting.close();
    expect(log.warnings.map((warning) => warning.msg)).toEqual([
      'switchboard gateway: could not record spend in the key store (budgets may under-count)',
    ]);

    let finish: (() => void) | undefined;
    const slow: SpendLedger = {
      add: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
      totals: () => Promise.resolve([]),
    };
    const waiting = new LedgerAccounting(slow);
    waiting.record(entry('capped', 0.1));
    let closed = false;
    const closing = waiting.close().then(() => {
      closed = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(closed).toBe(false);
    finish?.();
    await closing;
    expect(closed).toBe(true);
  });
});
