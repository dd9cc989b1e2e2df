import { LLMError } from '../errors/llm-error.js';

// The small part of ioredis the key store uses (ioredis is an optional peer dependency, loaded on first use).
/** One ioredis connection. */
export interface RedisConnection {
  readonly status: string;
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(): void;
  incr(key: string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready' | 'close', listener: () => void): unknown;
}
type RedisClass = new (url: string, options: Record<string, unknown>) => RedisConnection;

export type ImportModule = (specifier: string) => Promise<unknown>;

const defaultImport: ImportModule = (specifier) => import(specifier);

/** Loads ioredis; a missing package is a `CONFIGURATION_ERROR` naming the install command. */
export async function loadRedisClass(importModule: ImportModule = defaultImport): Promise<RedisClass> {
  let module: { default?: unknown; Redis?: unknown };
  try {
    module = (await importModule('ioredis')) as { default?: unknown; Redis?: unknown };
  } catch (error) {
    throw new LLMError(
      'CONFIGURATION_ERROR',
      'keyStore: the redis key store needs the optional package "ioredis": npm install ioredis',
      { cause: error, details: { package: 'ioredis' } },
    );
  }
  const Redis = module.Redis ?? module.default;
  if (typeof Redis !== 'function') {
    throw new LLMError('CONFIGURATION_ERROR', 'keyStore: the "ioredis" package exports no Redis class', {
      details: { package: 'ioredis' },
    });
  }
  return Redis as RedisClass;
}

export interface ConnectionOptions {
  /** Bound on the TCP connect of each attempt. */
  connectTimeoutMs: number;
  /** Bound on each command; a command that takes longer fails (and the store works locally). */
  commandTimeoutMs: number;
  /** Longest pause between reconnection attempts (exponential from 100 ms). */
  maxReconnectDelayMs: number;
}

/** ioredis options: no offline queue, no per-command retries, capped reconnection backoff. */
export function connectionOptions(options: ConnectionOptions, name: string): Record<string, unknown> {
  return {
    lazyConnect: true,
    // A command issued while disconnected fails at once instead of waiting in an unbounded queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A save whose reply was lost was kept locally (pushed at resync); re-sending it would count it twice.
    autoResendUnfulfilledCommands: false,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    // Reconnect forever (the store resynchronises when Redis returns), at most one attempt per cap.
    retryStrategy: (times: number) =>
      Math.min(100 * 2 ** Math.min(times - 1, 10), options.maxReconnectDelayMs),
    connectionName: name,
  };
}

/** `url` with any password replaced by `[REDACTED]` (also when it does not parse; up to the last `@`). */
export function maskRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^/?#\s]*@/i, '$1[REDACTED]@');
}

/** Checks a Redis URL synchronously; a bad one is a `CONFIGURATION_ERROR` naming the masked URL. */
export function checkRedisUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    parsed == null ||
    (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') ||
    parsed.hostname === ''
  ) {
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `keyStore.url: "${maskRedisUrl(url)}" is not a Redis URL (redis://host:port or rediss://host:port, with optional user, password and /db)`,
      { details: { path: 'keyStore.url' } },
    );
  }
}

// WRONGPASS (bad user/password), NOAUTH (a password is required), NOPERM (the user may not run the
// start-up commands), and the wording of Redis versions before 6.
const CREDENTIALS_REJECTED = /\b(?:WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password/i;

/** Whether an ioredis error says Redis rejected the credentials (not that it could not be reached). */
export function isCredentialsRejection(error: Error): boolean {
  return CREDENTIALS_REJECTED.test(error.message);
}

/** The error calls get when Redis rejects the credentials of the URL (password masked; cause sanitized). */
export function credentialsRejectedError(url: string, cause: Error): LLMError {
  const safeUrl = maskRedisUrl(url);
  return new LLMError(
    'CONFIGURATION_ERROR',
    `keyStore: Redis at ${safeUrl} rejected the credentials (${cause.message}); check the user and password in keyStore.url`,
    { cause, details: { path: 'keyStore.url', url: safeUrl } },
  );
}
