import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../keys/atomic-file.js';
import type { KeyStoreLogger } from '../keys/key-store.js';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import { WINDOW_MS } from './limit-store.js';
import { MemoryLimitStore } from './memory-limit-store.js';

/** Options of `FileLimitStore`. */
export interface FileLimitStoreOptions {
  /** The file (written atomically, mode 0600). */
  path: string;
  /** Save interval while windows change. @default 1000 */
  flushIntervalMs?: number;
  logger?: KeyStoreLogger;
  /** Clock of the saved times. @default Date.now */
  now?: () => number;
}

interface SavedClient {
  requests: number[];
  tokens: [number, number][];
}

/**
 * The memory store whose rate windows survive a restart: saved beside the key-state file at most once per
 * `flushIntervalMs` while they change, and on `close` (the SIGTERM drain). In-flight counts are not saved (the
 * requests die with the process). One process per file: several gateways need the Redis store.
 */
export class FileLimitStore extends MemoryLimitStore {
  override readonly kind = 'file' as const;
  private readonly path: string;
  private readonly logger: KeyStoreLogger | undefined;
  private readonly now: () => number;
  private readonly timer: ReturnType<typeof setInterval>;
  private dirty = false;
  private saving: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: FileLimitStoreOptions) {
    super();
    this.path = options.path;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.load();
    this.timer = setInterval(() => void this.save(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  protected override changed(): void {
    this.dirty = true;
  }

  override close(): Promise<void> {
    this.closed ??= (async () => {
      clearInterval(this.timer);
      await this.saving;
      await this.save();
    })();
    return this.closed;
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return; // no file yet
    }
    const parsed = safeParseJson(text);
    const clients = parsed.ok && isRecord(parsed.value) ? parsed.value.clients : undefined;
    if (!isRecord(clients)) {
      this.logger?.warn({ path: this.path }, 'switchboard gateway: unreadable rate-limit file ignored');
      return;
    }
    const since = this.now() - WINDOW_MS;
    for (const [name, saved] of Object.entries(clients)) {
      if (!isRecord(saved)) continue;
      const windows = this.windowsOf(name);
      for (const time of Array.isArray(saved.requests) ? saved.requests : []) {
        if (typeof time === 'number' && time > since) windows.requests.push(time);
      }
      for (const pair of Array.isArray(saved.tokens) ? saved.tokens : []) {
        if (!Array.isArray(pair)) continue;
        const [time, count] = pair as unknown[];
        if (typeof time === 'number' && typeof count === 'number' && time > since)
          windows.tokens.push(time, count);
      }
    }
  }

  private save(): Promise<void> {
    if (!this.dirty || this.saving != null) return this.saving ?? Promise.resolve();
    this.dirty = false;
    const since = this.now() - WINDOW_MS;
    const clients: Record<string, SavedClient> = {};
    for (const [name, windows] of this.clients) {
      windows.requests.dropUntil(since);
      windows.tokens.dropUntil(since);
      if (windows.requests.length === 0 && windows.tokens.length === 0) continue;
      clients[name] = {
        requests: windows.requests.entries().map(([time]) => time),
        tokens: windows.tokens.entries(),
      };
    }
    const text = JSON.stringify({ version: 1, clients });
    this.saving = (async () => {
      try {
        await mkdir(dirname(this.path), { recursive: true });
        await writeFileAtomic(this.path, text);
      } catch (error) {
        this.dirty = true;
        this.logger?.warn(
          { path: this.path, error: (error as Error).message },
          'switchboard gateway: could not save the rate-limit windows',
        );
      } finally {
        this.saving = undefined;
      }
    })();
    return this.saving;
  }
}
