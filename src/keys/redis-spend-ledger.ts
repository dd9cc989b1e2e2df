import { LLMError } from '../errors/llm-error.js';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import type { RedisLink } from './redis-connection.js';
import {
  emptySpendRow,
  MemorySpendLedger,
  matchesSpendFilter,
  type SpendEntry,
  type SpendFilter,
  type SpendLedger,
  sortSpendRows,
  spendEntryError,
  spendEntryProblem,
  spendRowKey,
} from './spend-ledger.js';

export const SPEND_ADD = 'switchboardSpendAdd';
export const SPEND_READ = 'switchboardSpendRead';

/** Counter → hash field suffix (short: one field per model and counter). */
const FIELDS = {
  calls: 'c',
  errors: 'e',
  promptTokens: 'p',
  completionTokens: 'o',
  cachedTokens: 'ca',
  reasoningTokens: 'r',
  costUsd: 'u',
} as const;
const COUNTER_OF = new Map<string, keyof typeof FIELDS>(
  Object.entries(FIELDS).map(([counter, field]) => [field, counter as keyof typeof FIELDS]),
);

/** Rows live this long after their last change (then Redis drops them). */
export const SPEND_TTL_SECONDS = 400 * 86_400;

/**
 * Redis layout of the spend ledger (`P` = the store prefix; model and client names URI-encoded, `''` = no client):
 *
 * | key | type | holds |
 * |---|---|---|
 * | `P sp:d:<day>:<client>` | hash | `<model>|c` calls, `|e` errors, `|p` prompt, `|o` completion, `|ca` cached, `|r` reasoning tokens (HINCRBY), `|u` USD (HINCRBYFLOAT) |
 * | `P sp:d:<day>` | set | the clients with a row that day |
 * | `P sp:days` | set | the days with rows |
 *
 * Every key gets a TTL of 400 days, renewed on each write. ARGV: P, day, client, model, ttl, then the counters
 * c, e, p, o, ca, r (integers) and u (a decimal).
 */
export const SPEND_ADD_LUA = `
local P, day, client, model, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local h = P .. 'sp:d:' .. day .. ':' .. client
local names = {'c', 'e', 'p', 'o', 'ca', 'r'}
redis.call('HINCRBY', h, model .. '|c', ARGV[6])
for i = 2, 6 do
  if ARGV[5 + i] ~= '0' then redis.call('HINCRBY', h, model .. '|' .. names[i], ARGV[5 + i]) end
end
if ARGV[12] ~= '0' then redis.call('HINCRBYFLOAT', h, model .. '|u', ARGV[12]) end
redis.call('EXPIRE', h, ttl)
redis.call('SADD', P .. 'sp:d:' .. day, client)
redis.call('EXPIRE', P .. 'sp:d:' .. day, ttl)
redis.call('SADD', P .. 'sp:days', day)
redis.call('EXPIRE', P .. 'sp:days', ttl)
return 1
`;

/**
 * The rows of one day (or every day when ARGV[2] is ''), of one client when ARGV[3] is '1' (ARGV[4], encoded),
 * as JSON: [{d, c, f: [field, value, …]}].
 */
export const SPEND_READ_LUA = `
local P, only, filtered, wanted = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4]
local days = {}
if only ~= '' then days = {only} else days = redis.call('SMEMBERS', P .. 'sp:days') end
local out = {}
for _, day in ipairs(days) do
  local clients = {}
  if filtered then clients = {wanted} else clients = redis.call('SMEMBERS', P .. 'sp:d:' .. day) end
  for _, client in ipairs(clients) do
    local fields = redis.call('HGETALL', P .. 'sp:d:' .. day .. ':' .. client)
    if #fields > 0 then out[#out + 1] = {d = day, c = client, f = fields} end
  end
end
if #out == 0 then return '[]' end
return cjson.encode(out)
`;

/** Decimal text of a counter (no exponent, so Lua and Redis read it as is). */
function decimal(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  return Number.isInteger(value) ? String(value) : value.toFixed(12).replace(/\.?0+$/, '');
}

function integer(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value)) : '0';
}

/**
 * The spend ledger of a Redis key store: rows in Redis hashes, counters added atomically by one Lua script per
 * `add` (HINCRBY/HINCRBYFLOAT), shared by every process using the URL and prefix. `add` never rejects for
 * Redis trouble: while Redis cannot be reached, entries are summed in memory and pushed when it returns (on the
 * next `add`, a resync, or `close`). A write whose reply was lost is pushed again (at-least-once: such a row may
 * count one entry twice). `totals` reads Redis (plus the entries not yet pushed) and rejects with
 * `API_REQUEST_FAILED` when Redis cannot be reached.
 */
export class RedisSpendLedger implements SpendLedger {
  /** Entries not yet in Redis. */
  private readonly pending = new MemorySpendLedger();
  private pushing: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly prefix: string,
  ) {}

  async add(entry: SpendEntry): Promise<void> {
    const problem = spendEntryProblem(entry);
    if (problem != null) throw spendEntryError(problem);
    await this.link.start().catch(() => undefined);
    if (!this.link.canSend()) {
      this.pending.addSync(entry);
      return;
    }
    if (this.pending.size > 0) await this.retry();
    await this.write(entry);
  }

  async totals(filter?: SpendFilter): Promise<SpendEntry[]> {
    await this.link.start();
    if (!this.link.canSend()) {
      throw new LLMError(
        'API_REQUEST_FAILED',
        `keyStore: the Redis key store at ${this.link.safeUrl} cannot be reached, so the recorded spend cannot be read`,
        { details: { url: this.link.safeUrl } },
      );
    }
    const client = filter?.client;
    const reply = await this.link.run(SPEND_READ, [
      this.prefix,
      filter?.day ?? '',
      client != null ? '1' : '0',
      client != null ? encodeURIComponent(client) : '',
    ]);
    const rows = new Map<string, SpendEntry>();
    for (const row of [...decodeRows(reply), ...this.pending.snapshot()]) {
      if (!matchesSpendFilter(row, filter)) continue;
      const key = spendRowKey(row.day, row.model, row.client);
      const known = rows.get(key);
      if (known == null) rows.set(key, row);
      else
        for (const counter of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) known[counter] += row[counter];
    }
    return sortSpendRows([...rows.values()]);
  }

  /** Pushes the entries kept while Redis was unreachable (once at a time); never rejects. */
  retry(): Promise<void> {
    this.pushing ??= (async () => {
      try {
        while (this.pending.size > 0 && this.link.canSend()) {
          const rows = this.pending.snapshot();
          this.pending.clear();
          for (const row of rows) await this.write(row);
        }
      } finally {
        this.pushing = undefined;
      }
    })();
    return this.pushing;
  }

  private async write(entry: SpendEntry): Promise<void> {
    try {
      await this.link.run(SPEND_ADD, [
        this.prefix,
        entry.day,
        entry.client != null ? encodeURIComponent(entry.client) : '',
        encodeURIComponent(entry.model),
        String(SPEND_TTL_SECONDS),
        integer(entry.calls),
        integer(entry.errors),
        integer(entry.promptTokens),
        integer(entry.completionTokens),
        integer(entry.cachedTokens),
        integer(entry.reasoningTokens),
        decimal(entry.costUsd),
      ]);
    } catch (error) {
      // Kept for the next push; the link warns once per outage.
      this.pending.addSync(entry);
      this.link.markUnhealthy(error);
    }
  }
}

/** Rows of a `SPEND_READ_LUA` reply (anything malformed is skipped). */
function decodeRows(reply: unknown): SpendEntry[] {
  const parsed = typeof reply === 'string' ? safeParseJson(reply) : undefined;
  if (parsed == null || !parsed.ok || !Array.isArray(parsed.value)) return [];
  const rows = new Map<string, SpendEntry>();
  for (const item of parsed.value) {
    if (
      !isRecord(item) ||
      typeof item.d !== 'string' ||
      typeof item.c !== 'string' ||
      !Array.isArray(item.f)
    ) {
      continue;
    }
    const client = item.c === '' ? undefined : safeDecode(item.c);
    for (let i = 0; i + 1 < item.f.length; i += 2) {
      const field = item.f[i];
      const value = Number(item.f[i + 1]);
      if (typeof field !== 'string' || !Number.isFinite(value)) continue;
      const bar = field.lastIndexOf('|');
      const counter = COUNTER_OF.get(field.slice(bar + 1));
      const model = safeDecode(field.slice(0, bar));
      if (bar <= 0 || counter == null || model == null) continue;
      const key = spendRowKey(item.d, model, client);
      let row = rows.get(key);
      if (row == null) {
        row = emptySpendRow(item.d, model, client);
        rows.set(key, row);
      }
      row[counter] += value;
    }
  }
  return [...rows.values()];
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
