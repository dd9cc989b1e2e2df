import { LLMError } from '../errors/llm-error.js';
import { errorText } from './error-text.js';
import type { KeyStoreLogger } from './key-store.js';
import {
  checkRedisUrl,
  connectionOptions,
  credentialsRejectedError,
  type ImportModule,
  isCredentialsRejection,
  loadRedisClass,
  maskRedisUrl,
  type RedisConnection,
} from './redis-client.js';

export interface RedisLinkOptions {
  url: string;
  /** The pub/sub channel to listen to. */
  channel: string;
  /** Lua scripts by command name (`defineCommand`: EVALSHA, EVAL when Redis lost the script). */
  scripts: Record<string, string>;
  logger: KeyStoreLogger | undefined;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  maxReconnectDelayMs: number;
  /** Interval of `onResync` calls while connected (a safety net for missed messages). */
  refreshIntervalMs: number;
  importModule: ImportModule | undefined;
  /** Connected (again), subscription re-established, or the refresh interval elapsed: reload shared state. */
  onResync: () => void;
  onMessage: (message: string) => void;
}

const closedError = () => new LLMError('CONFIGURATION_ERROR', 'keyStore: the redis key store is closed');

/**
 * The two connections of a Redis key store (commands, and a subscriber), opened on first use, with the
 * store's health: one warning when Redis becomes unreachable — at start or later — and one info line when
 * it is back. Only rejected credentials (and a missing ioredis) fail the start.
 */
export class RedisLink {
  /** The URL with any password masked. */
  readonly safeUrl: string;
  private readonly options: RedisLinkOptions;
  private main: RedisConnection | undefined;
  private sub: RedisConnection | undefined;
  private starting: Promise<void> | undefined;
  private wakeStartup: ((error?: Error) => void) | undefined;
  private lastError: Error | undefined;
  private everConnected = false;
  /** Start-up ended with rejected credentials: calls fail with it, no "unreachable" warning. */
  private rejected = false;
  private isHealthy = false;
  private warned = false;
  private closing = false;
  private disconnected = false;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;

  /** @throws LLMError `CONFIGURATION_ERROR` (synchronously) when the URL is not a Redis URL. */
  constructor(options: RedisLinkOptions) {
    checkRedisUrl(options.url);
    this.options = options;
    this.safeUrl = maskRedisUrl(options.url);
  }

  /** Commands got through lately (false during an outage, and until the first connection). */
  get healthy(): boolean {
    return this.isHealthy;
  }

  /** The command connection is up (commands are sent; they may still fail). */
  canSend(): boolean {
    return !this.disconnected && this.main?.status === 'ready';
  }

  /**
   * Opens the connections once. Resolves at the first connection, or — Redis unreachable (refused, no
   * answer within `connectTimeoutMs`) — at the first failed attempt, with one warning, the store working
   * locally and ioredis reconnecting in the background (`onResync` merges when Redis answers). Rejects
   * with `CONFIGURATION_ERROR` when ioredis is missing or Redis rejects the credentials (WRONGPASS,
   * NOAUTH) — then at once on every later call, until a background reconnection succeeds.
   */
  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  run(name: string, args: string[]): Promise<unknown> {
    const command = (
      this.main as unknown as Record<string, (...args: string[]) => Promise<unknown>> | undefined
    )?.[name];
    if (command == null) return Promise.reject(new Error('the redis key store is not connected'));
    return command.apply(this.main, args);
  }

  incr(key: string): Promise<number> {
    if (this.main == null) return Promise.reject(new Error('the redis key store is not connected'));
    return this.main.incr(key);
  }

  markUnhealthy(error: unknown): void {
    this.isHealthy = false;
    // Before the start-up outcome the start decides; after rejected credentials calls fail with that.
    if (this.wakeStartup != null || this.rejected || this.warned || this.closing) return;
    this.warned = true;
    this.options.logger?.warn(
      { url: this.safeUrl, error: errorText(error) },
      'switchboard: the Redis key store is unreachable; key health stays in this process until Redis returns',
    );
  }

  markHealthy(): void {
    this.isHealthy = true;
    if (!this.warned) return;
    this.warned = false;
    this.options.logger?.info?.(
      { url: this.safeUrl },
      'switchboard: the Redis key store is reachable again; shared key health resynchronised',
    );
  }

  /** No more warnings or resyncs; a pending start-up wait ends. Commands still go through (to flush). */
  beginClose(): void {
    this.closing = true;
    if (this.refreshTimer != null) clearInterval(this.refreshTimer);
    this.wakeStartup?.(closedError());
  }

  /** Closes both connections (after `beginClose` and the store's flush). */
  async close(): Promise<void> {
    this.beginClose();
    this.disconnected = true;
    await Promise.all(
      [this.sub, this.main].map(async (connection) => {
        if (connection == null) return;
        if (connection.status !== 'ready') {
          connection.disconnect();
          return;
        }
        await connection.quit().catch(() => connection.disconnect());
      }),
    );
  }

  private async open(): Promise<void> {
    const { options } = this;
    const Redis = await loadRedisClass(options.importModule);
    if (this.closing) throw closedError();
    const redisOptions = connectionOptions(options, 'switchboard-keys');
    const main = new Redis(options.url, redisOptions);
    const sub = new Redis(options.url, redisOptions);
    this.main = main;
    this.sub = sub;
    for (const [name, lua] of Object.entries(options.scripts))
      main.defineCommand(name, { numberOfKeys: 0, lua });
    for (const connection of [main, sub]) {
      connection.on('error', (error: Error) => {
        this.lastError = error;
        if (this.wakeStartup != null) this.wakeStartup(error);
        else this.markUnhealthy(error);
      });
      connection.on('close', () => this.markUnhealthy(this.lastError ?? new Error('connection closed')));
    }
    main.on('ready', () => this.onReady());
    let subscribed = false;
    sub.on('ready', () => {
      if (subscribed) {
        // ioredis re-subscribed; messages sent while it was away are lost, so reload.
        if (!this.closing) options.onResync();
        return;
      }
      subscribed = true;
      sub.subscribe(options.channel).catch((error: unknown) => this.markUnhealthy(error));
    });
    sub.on('message', (channel: string, message: string) => {
      if (channel === options.channel) options.onMessage(message);
    });
    // The first outcome decides the start: connected; credentials rejected (CONFIGURATION_ERROR); closed;
    // or unreachable — then the calls go on with local state and reconnection continues.
    const first = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wakeStartup?.(this.lastError ?? new Error(`no answer within ${options.connectTimeoutMs} ms`));
      }, options.connectTimeoutMs);
      this.wakeStartup = (error) => {
        clearTimeout(timer);
        this.wakeStartup = undefined;
        if (error == null) resolve();
        else if (LLMError.isInstance(error)) reject(error);
        else if (isCredentialsRejection(error)) {
          this.rejected = true;
          reject(credentialsRejectedError(options.url, error));
        } else {
          this.markUnhealthy(error);
          resolve();
        }
      };
    });
    main.connect().catch(() => undefined);
    sub.connect().catch(() => undefined);
    await first;
  }

  private onReady(): void {
    if (!this.everConnected) {
      this.everConnected = true;
      this.rejected = false;
      this.isHealthy = true;
      this.starting = Promise.resolve();
      this.wakeStartup?.();
      this.refreshTimer = setInterval(() => {
        if (this.canSend() && !this.closing) this.options.onResync();
      }, this.options.refreshIntervalMs);
      this.refreshTimer.unref();
    }
    if (!this.closing) this.options.onResync();
  }
}
