import type { KeyStoreLogger } from '../keys/key-store.js';
import {
  checkRedisUrl,
  connectionOptions,
  type ImportModule,
  loadRedisClass,
  maskRedisUrl,
  type RedisConnection,
} from '../keys/redis-client.js';
import { type Admission, type LimitName, type LimitRule, type LimitStore, WINDOW_MS } from './limit-store.js';
import { MemoryLimitStore } from './memory-limit-store.js';
import { ACQUIRE_LUA, limitKeys, RELEASE_LUA } from './redis-limit-scripts.js';

/** Options of `RedisLimitStore`. */
export interface RedisLimitStoreOptions {
  /** The key store's Redis URL. */
  url: string;
  /** The key store's prefix. @default 'switchboard:' */
  prefix?: string;
  /** How long an in-flight lease lives if its process dies (the longest a request may take, plus a margin). */
  leaseTtlMs: number;
  logger?: KeyStoreLogger;
  /** @default 2000 */
  connectTimeoutMs?: number;
  /** @default 1000 */
  commandTimeoutMs?: number;
  importModule?: ImportModule;
}

interface LimitConnection extends RedisConnection {
  ping(): Promise<string>;
  switchboardLimitAcquire(...args: (string | number)[]): Promise<unknown>;
  switchboardLimitRelease(...args: (string | number)[]): Promise<unknown>;
}

const LIMIT_NAMES = new Set<string>(['rpm', 'tpm', 'maxConcurrent']);

/**
 * Limits shared by every gateway process using one Redis (the key store's URL and prefix): one Lua script per
 * admission checks and counts all of a token's limits atomically, so `rpm: 10` means 10 per minute across all
 * processes. When Redis cannot be reached each process enforces the limits locally (one warning per outage)
 * and goes back to Redis when it answers again.
 */
export class RedisLimitStore implements LimitStore {
  readonly kind = 'redis' as const;
  private readonly options: RedisLimitStoreOptions;
  private readonly prefix: string;
  private readonly safeUrl: string;
  private readonly local = new MemoryLimitStore();
  /** Leases admitted locally during an outage: released locally too. */
  private readonly localLeases = new Set<string>();
  private connection: LimitConnection | undefined;
  private starting: Promise<void> | undefined;
  private warned = false;
  private closed = false;

  /** @throws LLMError `CONFIGURATION_ERROR` when `url` is not a Redis URL. */
  constructor(options: RedisLimitStoreOptions) {
    checkRedisUrl(options.url);
    this.options = options;
    this.prefix = options.prefix ?? 'switchboard:';
    this.safeUrl = maskRedisUrl(options.url);
  }

  async acquire(client: string, rule: LimitRule, lease: string, now: number): Promise<Admission> {
    const connection = await this.usable();
    if (connection == null) return this.acquireLocally(client, rule, lease, now);
    try {
      const reply = await connection.switchboardLimitAcquire(
        ...limitKeys(this.prefix, client),
        now,
        rule.rpm ?? 0,
        rule.tpm ?? 0,
        rule.maxConcurrent ?? 0,
        lease,
        this.options.leaseTtlMs,
        WINDOW_MS,
      );
      this.healthy();
      return admissionOf(reply);
    } catch (error) {
      this.unhealthy(error);
      return this.acquireLocally(client, rule, lease, now);
    }
  }

  release(client: string, rule: LimitRule, lease: string, tokens: number, now: number): void {
    if (this.localLeases.delete(lease)) {
      this.local.release(client, rule, lease, tokens, now);
      return;
    }
    const connection = this.connection;
    const counted = rule.tpm != null ? tokens : 0;
    if (connection == null || (rule.maxConcurrent == null && counted === 0)) return;
    const [, tpmKey, inflightKey] = limitKeys(this.prefix, client);
    connection
      .switchboardLimitRelease(tpmKey, inflightKey, lease, counted, now, WINDOW_MS)
      .then(() => this.healthy())
      // A lost release: the slot lapses with its lease TTL; the tokens are not counted.
      .catch((error: unknown) => this.unhealthy(error));
  }

  async ready(): Promise<boolean> {
    const connection = await this.usable();
    if (connection == null) return false;
    try {
      await connection.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const connection = this.connection;
    if (connection == null) return;
    if (connection.status !== 'ready') connection.disconnect();
    else await connection.quit().catch(() => connection.disconnect());
  }

  private acquireLocally(client: string, rule: LimitRule, lease: string, now: number): Admission {
    const admission = this.local.acquire(client, rule, lease, now);
    if (admission.ok) this.localLeases.add(lease);
    return admission;
  }

  /** The connection when commands can be sent now (connecting on first use), else `undefined`. */
  private async usable(): Promise<LimitConnection | undefined> {
    if (this.closed) return undefined;
    this.starting ??= this.open();
    await this.starting;
    return this.connection?.status === 'ready' ? this.connection : undefined;
  }

  private async open(): Promise<void> {
    const Redis = await loadRedisClass(this.options.importModule);
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 2000;
    const connection = new Redis(
      this.options.url,
      connectionOptions(
        {
          connectTimeoutMs,
          commandTimeoutMs: this.options.commandTimeoutMs ?? 1000,
          maxReconnectDelayMs: 2000,
        },
        'switchboard-gateway-limits',
      ),
    ) as LimitConnection;
    connection.defineCommand('switchboardLimitAcquire', { numberOfKeys: 3, lua: ACQUIRE_LUA });
    connection.defineCommand('switchboardLimitRelease', { numberOfKeys: 2, lua: RELEASE_LUA });
    connection.on('error', (error: Error) => this.unhealthy(error));
    this.connection = connection;
    // The first outcome (ready, error, or no answer in time) ends the start; reconnection goes on.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, connectTimeoutMs);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      connection.connect().then(done, done);
    });
  }

  private healthy(): void {
    if (!this.warned) return;
    this.warned = false;
    this.options.logger?.info?.({ url: this.safeUrl }, 'switchboard gateway: Redis limits shared again');
  }

  private unhealthy(error: unknown): void {
    if (this.warned || this.closed) return;
    this.warned = true;
    this.options.logger?.warn(
      { url: this.safeUrl, error: maskRedisUrl(error instanceof Error ? error.message : String(error)) },
      'switchboard gateway: Redis is unreachable; client limits are enforced per process until it returns',
    );
  }
}

function admissionOf(reply: unknown): Admission {
  if (!Array.isArray(reply) || reply[0] === 1) return { ok: true };
  const limit = String(reply[1]);
  const retryAfterMs = Number(reply[2]);
  return {
    ok: false,
    limit: (LIMIT_NAMES.has(limit) ? limit : 'rpm') as LimitName,
    retryAfterMs: Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 1000,
  };
}
