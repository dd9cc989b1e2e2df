import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage } from '../spec/index.js';
import {
  checkSessionId,
  checkStoredMessages,
  defaultImport,
  type ImportModule,
  loadOptional,
  parseStored,
  storeError,
} from './memory-errors.js';
import type { ClosableMemoryStore } from './sqlite-memory.js';

/** Options of `createRedisMemory`. */
export interface RedisMemoryOptions {
  /** Prefix of the list keys (`<prefix><sessionId>`). @default 'switchboard:session:' */
  prefix?: string;
  /** Expire a session's list this long after its last write; unset = never. @example 86400 */
  ttlSeconds?: number;
  /** Retries of one command while Redis is unreachable (ioredis `maxRetriesPerRequest`). @default 2 */
  maxRetriesPerRequest?: number;
}

// The small part of ioredis this store uses (its types are an optional dev dependency).
type ExecResult = [Error | null, unknown][] | null;
interface Pipeline {
  del(key: string): Pipeline;
  rpush(key: string, ...values: string[]): Pipeline;
  expire(key: string, seconds: number): Pipeline;
  exec(): Promise<ExecResult>;
}
interface RedisClient {
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  del(key: string): Promise<number>;
  multi(): Pipeline;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  status: string;
}
type RedisClass = new (url: string, options: Record<string, unknown>) => RedisClient;

/**
 * Session memory in Redis (needs the optional peer dependency ioredis: `npm install ioredis`; loaded on first
 * use), shared by every process
 * using the same Redis and prefix. Each session is a list of JSON messages at `<prefix><sessionId>`:
 * `append` is one `RPUSH` (a turn lands whole, after any turn another process appended), `replace` is
 * `DEL` + `RPUSH` in one `MULTI` transaction, `load` is `LRANGE 0 -1`. With `ttlSeconds`, every write renews
 * the key's expiry.
 *
 * @throws (on first use) LLMError `CONFIGURATION_ERROR` when ioredis is not installed; `API_REQUEST_FAILED`
 *   when Redis cannot be reached.
 * @example const memory = createRedisMemory('redis://127.0.0.1:6379', { prefix: 'bot:chat:', ttlSeconds: 86400 });
 */
export function createRedisMemory(
  url: string,
  options: RedisMemoryOptions = {},
  deps: { importModule?: ImportModule } = {},
): ClosableMemoryStore {
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    throw new LLMError('INVALID_PARAMETER', 'createRedisMemory: url must be a redis:// or rediss:// URL', {
      details: { path: 'url' },
    });
  }
  const prefix = options.prefix ?? 'switchboard:session:';
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1)) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `createRedisMemory: ttlSeconds must be an integer ≥ 1 (got ${ttl})`,
      {
        details: { path: 'ttlSeconds' },
      },
    );
  }
  const importModule = deps.importModule ?? defaultImport;
  let client: Promise<RedisClient> | undefined;
  let closed = false;

  const connect = async (): Promise<RedisClient> => {
    const module = (await loadOptional(importModule, 'ioredis', 'createRedisMemory')) as {
      default?: RedisClass;
      Redis?: RedisClass;
    };
    const Redis = module.Redis ?? module.default;
    if (Redis === undefined)
      throw new LLMError('CONFIGURATION_ERROR', 'createRedisMemory: ioredis exports no Redis class');
    const redis = new Redis(url, { maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2 });
    // Connection errors surface on the commands; without a listener ioredis prints each one.
    redis.on('error', () => undefined);
    return redis;
  };

  const use = async <T>(operation: string, run: (redis: RedisClient) => Promise<T>): Promise<T> => {
    if (closed) throw new LLMError('CONFIGURATION_ERROR', 'redis memory is closed');
    client ??= connect().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    const redis = await client;
    try {
      return await run(redis);
    } catch (error) {
      throw storeError('redis', operation, error, 'API_REQUEST_FAILED');
    }
  };

  const write = async (operation: string, key: string, messages: LLMMessage[], replace: boolean) => {
    await use(operation, async (redis) => {
      let multi = redis.multi();
      if (replace) multi = multi.del(key);
      if (messages.length > 0)
        multi = multi.rpush(key, ...messages.map((message) => JSON.stringify(message)));
      if (ttl !== undefined && messages.length > 0) multi = multi.expire(key, ttl);
      const results = await multi.exec();
      if (results === null) throw new Error('the transaction was aborted');
      for (const [error] of results) if (error != null) throw error;
    });
  };

  return {
    async load(sessionId) {
      checkSessionId(sessionId);
      const key = prefix + sessionId;
      const items = await use('load', (redis) => redis.lrange(key, 0, -1));
      return items.map((item, index) => parseStored(item, 'redis', `item ${index} of ${key}`));
    },
    async append(sessionId, messages) {
      checkSessionId(sessionId);
      checkStoredMessages(messages, 'append');
      if (messages.length === 0) return;
      await write('append', prefix + sessionId, messages, false);
    },
    async replace(sessionId, messages) {
      checkSessionId(sessionId);
      checkStoredMessages(messages, 'replace');
      await write('replace', prefix + sessionId, messages, true);
    },
    async clear(sessionId) {
      checkSessionId(sessionId);
      await use('clear', (redis) => redis.del(prefix + sessionId));
    },
    async close() {
      if (closed) return;
      closed = true;
      const redis = await client?.catch(() => undefined);
      if (redis === undefined) return;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
