import { readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import { removeOrphanTemps, type TempSuffix, writeFileAtomic } from './atomic-file.js';
import { errorText } from './error-text.js';
import type { KeyState } from './key-health.js';
import type { KeyStoreLogger } from './key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';
import { SPEND_COUNTERS, SPEND_DAY, type SpendEntry } from './spend-ledger.js';

export interface FileKeyStoreOptions {
  /** JSON file holding the state (created with its directory on the first write). */
  path: string;
  /** Changes are written at most once per interval (and on `flush`/`close`). @default 1000 */
  flushIntervalMs?: number;
  /** Warned when the file is corrupt (moved aside) or a write fails. */
  logger?: KeyStoreLogger;
  /** Clock for the name of a moved-aside corrupt file. @default Date.now */
  now?: () => number;
  /** @internal Random part of temp file names (tests plant files at the names it yields). */
  tempSuffix?: TempSuffix;
}

const FILE_VERSION = 1;
const HASH = /^[0-9a-f]{64}$/;
/** Spend rows older than this many days are dropped when the file is written. */
export const SPEND_RETENTION_DAYS = 400;
const DAY_MS = 86_400_000;

/**
 * Key state in a JSON file (mode 0600): survives restarts, never holds a key (SHA-256 hashes only),
 * writes are coalesced (at most one per `flushIntervalMs`, so `kill -9` loses at most that much) and
 * atomic (`writeFileAtomic`: a temp file with an unpredictable name created exclusively, fsync, rename).
 * At start the temp files of writers that died mid-write are removed (`removeOrphanTemps`). A corrupt
 * file is moved aside to `<path>.corrupt-<timestamp>` and the store starts clean. One store per file per
 * process: two processes writing one file overwrite each other's changes (use Redis to share).
 */
export class FileKeyStore extends MemoryKeyStore {
  override readonly kind = 'file' as const;
  readonly path: string;
  private readonly intervalMs: number;
  private readonly logger: KeyStoreLogger | undefined;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private failing = false;
  private writes = 0;
  private readonly tempSuffix: TempSuffix | undefined;
  private readonly now: () => number;

  constructor(options: FileKeyStoreOptions) {
    super();
    this.path = options.path;
    this.intervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.logger = options.logger;
    this.tempSuffix = options.tempSuffix;
    this.now = options.now ?? Date.now;
    const removed = removeOrphanTemps(this.path);
    if (removed > 0) {
      this.logger?.info?.(
        { path: this.path, removed },
        'switchboard: removed temp files of key state writers that did not finish',
      );
    }
    this.readFile(this.now);
  }

  /** Number of completed file writes (for tests and diagnostics). */
  get writeCount(): number {
    return this.writes;
  }

  protected override changed(): void {
    this.dirty = true;
    if (this.timer != null || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  override async flush(): Promise<void> {
    while (this.writing != null) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    const text = this.serialize();
    this.writing = this.write(text).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.timer != null) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.flush();
  }

  private async write(text: string): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, text, this.tempSuffix);
      this.writes++;
      this.failing = false;
    } catch (error) {
      // Keep the changes and try again later; warn once per failure streak, not per interval.
      if (!this.failing) {
        this.logger?.warn(
          { path: this.path, error: errorText(error) },
          'switchboard: could not write the key state file; retrying',
        );
      }
      this.failing = true;
      this.dirty = true;
      if (!this.closed) this.changed();
    }
  }

  private serialize(): string {
    const providers: Record<string, Record<string, KeyState>> = {};
    for (const [provider, states] of this.providers) {
      const entries: Record<string, KeyState> = {};
      for (const [hash, state] of states) entries[hash] = state;
      providers[provider] = entries;
    }
    if (this.spend.size === 0) return JSON.stringify({ version: FILE_VERSION, providers });
    this.spend.prune(new Date(this.now() - SPEND_RETENTION_DAYS * DAY_MS).toISOString().slice(0, 10));
    return JSON.stringify({ version: FILE_VERSION, providers, spend: this.spend.snapshot() });
  }

  private readFile(now: () => number): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger?.warn(
          { path: this.path, error: errorText(error) },
          'switchboard: could not read the key state file; starting clean',
        );
      }
      return;
    }
    if (text.trim() === '') return;
    const parsed = safeParseJson(text);
    const providers = parsed.ok ? parseFile(parsed.value) : undefined;
    if (providers != null && parsed.ok) {
      for (const row of parseSpend((parsed.value as Record<string, unknown>).spend)) this.spend.addSync(row);
    }
    if (providers == null) {
      const aside = `${this.path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
      try {
        renameSync(this.path, aside);
      } catch {
        // Nothing else to do: the next write replaces the file.
      }
      this.logger?.warn(
        { path: this.path, movedTo: aside },
        'switchboard: the key state file was corrupt; moved it aside and started clean',
      );
      return;
    }
    for (const [provider, states] of providers) this.providers.set(provider, states);
  }
}

function parseFile(value: unknown): Map<string, Map<string, KeyState>> | undefined {
  if (!isRecord(value) || value.version !== FILE_VERSION || !isRecord(value.providers)) return undefined;
  const out = new Map<string, Map<string, KeyState>>();
  for (const [provider, entries] of Object.entries(value.providers)) {
    if (!isRecord(entries)) return undefined;
    const states = new Map<string, KeyState>();
    for (const [hash, raw] of Object.entries(entries)) {
      const state = HASH.test(hash) ? parseKeyState(raw) : undefined;
      if (state != null) states.set(hash, state);
    }
    out.set(provider, states);
  }
  return out;
}

/** The spend rows of a file (rows that do not parse are skipped). */
function parseSpend(raw: unknown): SpendEntry[] {
  if (!Array.isArray(raw)) return [];
  const rows: SpendEntry[] = [];
  for (const item of raw) {
    if (!isRecord(item) || typeof item.day !== 'string' || !SPEND_DAY.test(item.day)) continue;
    if (typeof item.model !== 'string' || item.model === '') continue;
    const row = { day: item.day, model: item.model } as SpendEntry;
    if (typeof item.client === 'string' && item.client !== '') row.client = item.client;
    for (const counter of SPEND_COUNTERS) row[counter] = num(item[counter]);
    rows.push(row);
  }
  return rows;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function cooldowns(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isRecord(raw)) {
    for (const [model, until] of Object.entries(raw)) if (num(until) > 0) out[model] = num(until);
  }
  return out;
}

/** A stored state, tolerating missing fields; undefined when it is not an object. */
export function parseKeyState(raw: unknown): KeyState | undefined {
  if (!isRecord(raw)) return undefined;
  const state: KeyState = {
    disabled: raw.disabled === true,
    cooldownUntil: num(raw.cooldownUntil),
    modelCooldowns: cooldowns(raw.modelCooldowns),
    // Absent in files written before soft cooldowns existed.
    softCooldowns: cooldowns(raw.softCooldowns),
    consecutiveFailures: num(raw.consecutiveFailures),
    successCount: num(raw.successCount),
    failureCount: num(raw.failureCount),
    totalLatencyMs: num(raw.totalLatencyMs),
  };
  if (typeof raw.lastError === 'string') state.lastError = raw.lastError.slice(0, 200);
  if (raw.lastErrorAt != null) state.lastErrorAt = num(raw.lastErrorAt);
  return state;
}
