import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { FileKeyStore } from './file-key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';
import type { SpendEntry } from './spend-ledger.js';

const row = (overrides: Partial<SpendEntry> = {}): SpendEntry => ({
  day: '2025-06-01',
  model: 'OpenAI/gpt-4o-mini',
  calls: 1,
  errors: 0,
  promptTokens: 100,
  completionTokens: 20,
  cachedTokens: 10,
  reasoningTokens: 5,
  costUsd: 0.001,
  ...overrides,
});

const stores: FileKeyStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function fileStore(path: string, now = () => Date.parse('2025-06-02T00:00:00Z')): FileKeyStore {
  const store = new FileKeyStore({ path, flushIntervalMs: 60_000, now });
  stores.push(store);
  return store;
}

describe('spend ledger: memory', () => {
  it('sums entries per (day, model, client) and filters by day, client and model', async () => {
    const { spend } = new MemoryKeyStore();
    await spend.add(row());
    await spend.add(row({ calls: 2, errors: 1, costUsd: 0.002 }));
    await spend.add(row({ client: 'bot' }));
    await spend.add(row({ day: '2025-06-02', model: 'Gemini/gemini-2.5-flash' }));

    const all = await spend.totals();
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({
      ...row({ calls: 3, errors: 1, promptTokens: 200, completionTokens: 40 }),
      cachedTokens: 20,
      reasoningTokens: 10,
      costUsd: expect.closeTo(0.003, 12),
    });
    expect(await spend.totals({ client: 'bot' })).toEqual([row({ client: 'bot' })]);
    expect((await spend.totals({ day: '2025-06-02' })).map((r) => r.model)).toEqual([
      'Gemini/gemini-2.5-flash',
    ]);
    expect(await spend.totals({ model: 'Nope/x' })).toEqual([]);
  });

  it('rejects a malformed entry naming the field, and keeps nothing of it', async () => {
    const { spend } = new MemoryKeyStore();
    const error = await spend.add(row({ day: '06/01/2025' })).catch((e: unknown) => e);
    expect(LLMError.isInstance(error) && error.code).toBe('INVALID_PARAMETER');
    expect((error as Error).message).toContain('day');
    expect(await spend.totals()).toEqual([]);
  });
});

describe('spend ledger: file', () => {
  it('is persisted with the coalesced state writes (no write per entry) and read back by another store', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-spend-')), 'state.json');
    const first = fileStore(path);
    for (let i = 0; i < 50; i++) await first.spend.add(row());
    expect(first.writeCount).toBe(0);
    await first.flush();
    expect(first.writeCount).toBe(1);

    const second = fileStore(path);
    expect(await second.spend.totals()).toEqual([
      row({
        calls: 50,
        promptTokens: 5000,
        completionTokens: 1000,
        cachedTokens: 500,
        reasoningTokens: 250,
        costUsd: expect.closeTo(0.05, 12),
      }),
    ]);
  });

  it('keeps key state and spend side by side; rows past the 400-day retention are dropped when written', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-spend-')), 'state.json');
    const store = fileStore(path);
    await store.spend.add(row({ day: '2024-01-01' }));
    await store.spend.add(row());
    await store.flush();
    const file = JSON.parse(readFileSync(path, 'utf8')) as { version: number; spend: SpendEntry[] };
    expect(file.version).toBe(1);
    expect(file.spend.map((r) => r.day)).toEqual(['2025-06-01']);
  });

  it('skips rows of a file it cannot read (and keeps the rest)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-spend-')), 'state.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        providers: {},
        spend: [
          row(),
          { day: 'yesterday', model: 'x' },
          { day: '2025-06-01' },
          'junk',
          row({ client: 'bot', calls: -1 }),
        ],
      }),
    );
    const store = fileStore(path);
    const rows = await store.spend.totals();
    expect(rows).toEqual([row(), { ...row({ client: 'bot' }), calls: 0 }]);
  });
});
