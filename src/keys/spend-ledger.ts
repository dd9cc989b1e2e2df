import { LLMError } from '../errors/llm-error.js';

/**
 * One row of recorded spend; `client` is a gateway client-token name (absent for library calls).
 *
 * @example { day: '2025-06-01', model: 'OpenAI/gpt-4o-mini', calls: 3, errors: 0, promptTokens: 1200,
 *   completionTokens: 300, cachedTokens: 0, reasoningTokens: 0, costUsd: 0.00036 }
 */
export interface SpendEntry {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** `"Provider/model"` that answered (or failed). */
  model: string;
  client?: string;
  calls: number;
  /** Of `calls`, those that failed. */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** Of `promptTokens`, those served from the provider's cache. */
  cachedTokens: number;
  /** Of `completionTokens`, those spent on reasoning. */
  reasoningTokens: number;
  /** USD (0 for models without `pricing`). */
  costUsd: number;
}

/** Which rows `totals` returns (every given field must match). */
export interface SpendFilter {
  day?: string;
  client?: string;
  model?: string;
}

/**
 * Spend by (day, model, client), kept by a key-state store (`KeyStateStore.spend`): in memory, in the state
 * file (written with the store's coalesced writes), or in Redis (shared by every process using the store).
 */
export interface SpendLedger {
  /** Adds the counters of `entry` to its (day, model, client) row; atomic in Redis (HINCRBY/HINCRBYFLOAT). */
  add(entry: SpendEntry): Promise<void>;
  /** Rows matching the filter, summed per (day, model, client). */
  totals(filter?: SpendFilter): Promise<SpendEntry[]>;
}

/** The counters of a `SpendEntry` (everything but its row's identity). */
export const SPEND_COUNTERS = [
  'calls',
  'errors',
  'promptTokens',
  'completionTokens',
  'cachedTokens',
  'reasoningTokens',
  'costUsd',
] as const;

/** `YYYY-MM-DD`. */
export const SPEND_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A fresh row for (day, model, client) with every counter at 0. */
export function emptySpendRow(day: string, model: string, client: string | undefined): SpendEntry {
  const row: SpendEntry = {
    day,
    model,
    calls: 0,
    errors: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
  };
  if (client != null) row.client = client;
  return row;
}

/** Adds the counters of `entry` to `row` in place (non-finite or missing counters count as 0). */
export function addSpendInto(row: SpendEntry, entry: SpendEntry): void {
  for (const counter of SPEND_COUNTERS) {
    const value = entry[counter];
    if (typeof value === 'number' && Number.isFinite(value)) row[counter] += value;
  }
}

/** The identity of a row: day, model and client, joined by a separator no name can hold. */
export function spendRowKey(day: string, model: string, client: string | undefined): string {
  return `${day}\u0000${model}\u0000${client ?? ''}`;
}

/** Whether `row` matches every field of `filter`. */
export function matchesSpendFilter(row: SpendEntry, filter: SpendFilter | undefined): boolean {
  if (filter == null) return true;
  if (filter.day != null && row.day !== filter.day) return false;
  if (filter.model != null && row.model !== filter.model) return false;
  if (filter.client != null && row.client !== filter.client) return false;
  return true;
}

/** Rows sorted by day, model, then client (library rows first). */
export function sortSpendRows(rows: SpendEntry[]): SpendEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) => cmp(a.day, b.day) || cmp(a.model, b.model) || cmp(a.client ?? '', b.client ?? ''),
  );
}

/** The error `add` rejects with for a malformed entry. */
export function spendEntryError(problem: string): LLMError {
  return new LLMError('INVALID_PARAMETER', `spend entry: ${problem}`, { details: { problem } });
}

/** What is wrong with an entry handed to `add`, or undefined when it is usable. */
export function spendEntryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'must be an object { day, model, … }';
  const { day, model, client } = entry as Partial<SpendEntry>;
  if (typeof day !== 'string' || !SPEND_DAY.test(day)) return 'day: must be a UTC day YYYY-MM-DD';
  if (typeof model !== 'string' || model === '') return 'model: must be a non-empty string';
  if (client != null && (typeof client !== 'string' || client === '')) {
    return 'client: must be a non-empty string when given';
  }
  return undefined;
}

/**
 * A ledger in a `Map` (the memory store's, and the file store's in-process copy). `onChange` runs after every
 * `add` (the file store schedules its coalesced write there).
 */
export class MemorySpendLedger implements SpendLedger {
  private readonly rows = new Map<string, SpendEntry>();

  constructor(private readonly onChange: () => void = () => undefined) {}

  add(entry: SpendEntry): Promise<void> {
    const problem = spendEntryProblem(entry);
    if (problem != null) return Promise.reject(spendEntryError(problem));
    this.addSync(entry);
    this.onChange();
    return Promise.resolve();
  }

  totals(filter?: SpendFilter): Promise<SpendEntry[]> {
    return Promise.resolve(this.snapshot(filter));
  }

  /** Rows matching `filter`, copied and sorted. */
  snapshot(filter?: SpendFilter): SpendEntry[] {
    const out: SpendEntry[] = [];
    for (const row of this.rows.values()) if (matchesSpendFilter(row, filter)) out.push({ ...row });
    return sortSpendRows(out);
  }

  /** Adds without checks or notification (loading a file). */
  addSync(entry: SpendEntry): void {
    const key = spendRowKey(entry.day, entry.model, entry.client);
    let row = this.rows.get(key);
    if (row == null) {
      row = emptySpendRow(entry.day, entry.model, entry.client);
      this.rows.set(key, row);
    }
    addSpendInto(row, entry);
  }

  /** Drops the rows of days before `oldestDay` (retention). */
  prune(oldestDay: string): void {
    for (const [key, row] of this.rows) if (row.day < oldestDay) this.rows.delete(key);
  }

  /** Drops every row. */
  clear(): void {
    this.rows.clear();
  }

  get size(): number {
    return this.rows.size;
  }
}
