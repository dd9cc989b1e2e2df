import { createKeyPool, type KeyPool } from '../../keys/key-pool.js';
import type { KeyStateStore } from '../../keys/key-store.js';
import { silentLogger } from '../../logging/internal-logger.js';
import type { Middleware } from '../../spec/index.js';
import { type Clock, systemClock } from '../../util/clock.js';
import { createPipeline, type Pipeline, type PipelineDeps } from '../create-pipeline.js';
import type { PipelineLogger } from '../logging.js';

export interface HarnessOptions {
  keys?: string[];
  provider?: string;
  clock?: Clock;
  random?: () => number;
  transport: PipelineDeps['transport'];
  retry?: Partial<PipelineDeps['config']['retry']>;
  middlewares?: Middleware[];
  logger?: PipelineLogger;
  debugLog?: boolean;
  store?: KeyStateStore;
}

/** A pipeline over one provider's pool, with test-friendly defaults. */
export function harness(options: HarnessOptions): { pipeline: Pipeline; pool: KeyPool } {
  const clock = options.clock ?? systemClock;
  const pool = createKeyPool({
    provider: options.provider ?? 'OpenAI',
    keys: options.keys ?? ['test-key-0001', 'test-key-0002', 'test-key-0003'],
    clock,
    ...(options.store != null ? { store: options.store } : {}),
  });
  const pipeline = createPipeline({
    config: {
      middlewares: options.middlewares ?? [],
      retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, ...options.retry },
      debugLog: options.debugLog === true ? { showTools: true, showSchema: true, showSafety: true } : false,
      locale: 'en',
    },
    clock,
    random: options.random ?? (() => 0.5),
    keyPools: () => pool,
    transport: options.transport,
    logger: options.logger ?? silentLogger,
  });
  return { pipeline, pool };
}
