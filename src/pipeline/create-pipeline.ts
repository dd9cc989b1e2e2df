import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Transport } from '../http/transport.js';
import type { KeyPool } from '../keys/key-pool.js';
import type { Middleware, Next, PipelineRequest, PipelineResponse } from '../spec/index.js';
import type { Clock, Random } from '../util/clock.js';
import { compose } from './compose.js';
import { createKeySelectionMiddleware } from './key-selection.js';
import { createLoggingMiddleware, logAttempt, type PipelineLogger } from './logging.js';
import { createRetryMiddleware } from './retry.js';
import { createTimeoutMiddleware } from './timeout.js';

export interface PipelineDeps {
  /** Uses `middlewares`, `retry`, `debugLog` (attempt lines) and `locale`. */
  config: Pick<ResolvedConfig, 'middlewares' | 'retry' | 'debugLog' | 'locale'>;
  clock: Clock;
  random: Random;
  /** The key pool of a provider (see `createKeyPools(...).get`). */
  keyPools: (provider: string) => KeyPool;
  /** The terminal layer: `createTransport(...)`, or anything with `send` (tests). */
  transport: Pick<Transport, 'send'>;
  /** The client's internal logger (`createInternalLogger(config.logger, config.debugLog)`). */
  logger: PipelineLogger;
}

/** Runs one call through the pipeline. */
export type Pipeline = (request: PipelineRequest) => Promise<PipelineResponse>;

/**
 * The request path, built once per client. Order, outermost first: user middlewares → logging → retry →
 * key selection → timeout → transport.
 */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { config, clock, random, logger, transport } = deps;
  const debugAttempts = config.debugLog !== false;
  const layers: Middleware[] = [
    ...config.middlewares,
    createLoggingMiddleware(logger, clock),
    createRetryMiddleware({
      ...config.retry,
      clock,
      random,
      locale: config.locale,
      ...(debugAttempts
        ? {
            onAttempt: (request, record, outcome) => logAttempt(logger, request, record, outcome),
          }
        : {}),
    }),
    createKeySelectionMiddleware(deps.keyPools, clock),
    createTimeoutMiddleware(clock),
  ];
  const terminal: Next = function transportLayer(request) {
    return transport.send(request);
  };
  return compose(layers, terminal);
}
