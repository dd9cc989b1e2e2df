import type { ResolvedConfig } from '../config/resolved-config.js';
import { createTransport } from '../http/transport.js';
import { createKeyPools } from '../keys/key-pools.js';
import type { KeyStateStore } from '../keys/key-store.js';
import { createInternalLogger } from '../logging/internal-logger.js';
import { createModelRegistry } from '../models/model-registry.js';
import { createPipeline } from '../pipeline/create-pipeline.js';
import { ClientTelemetry } from '../telemetry/client-telemetry.js';
import { ToolInvoker } from '../tools/tool-invoker.js';
import { defaultToolRegistry, type ToolProviderRegistry } from '../tools/tool-registry.js';
import { type Clock, type Random, systemClock } from '../util/clock.js';
import type { ClientContext } from './client-context.js';
import { createDialects } from './dialects.js';

/** Internal and testing hooks of `createLLM` (not needed in normal use). */
export interface CreateLLMOptions {
  /** Time source for deadlines, backoff and cooldowns. @default the system clock */
  clock?: Clock;
  /** Randomness for backoff jitter. @default Math.random */
  random?: Random;
  /** Where tool names are resolved. @default the module-level registry of `registerToolProvider` */
  toolRegistry?: ToolProviderRegistry;
  /** A key-state store instance (overrides `config.keyStore`). */
  keyStore?: KeyStateStore;
  /**
   * Where each provider's round-robin starts: `'least-used'` picks the key with the fewest stored calls first
   * (the CLI uses it, so one call per run still spreads over the keys). @default 'first'
   */
  rotationStart?: 'first' | 'least-used';
  /**
   * Record each call's spend (calls, errors, tokens, cost by UTC day and model) in the key store's ledger, which
   * `switchboard usage` reads. The gateway passes `false`: it records each request under its client token.
   * @default true for `file` and `redis` key stores, false for `memory` (`llm.usage()` covers one process)
   */
  recordSpend?: boolean;
}

/** Everything one client's calls share: key pools, connections, the pipeline, dialects, tools. */
export function createClientContext(config: ResolvedConfig, options: CreateLLMOptions = {}): ClientContext {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = createInternalLogger(config.logger, config.debugLog);
  const keyPools = createKeyPools(config, {
    clock,
    logger,
    ...(options.keyStore != null ? { store: options.keyStore } : {}),
    ...(options.rotationStart != null ? { rotationStart: options.rotationStart } : {}),
  });
  const transport = createTransport({ config, clock });
  const models = createModelRegistry(config);
  const store = keyPools.store;
  const recordSpend = options.recordSpend ?? store.kind !== 'memory';
  const telemetry = new ClientTelemetry({
    config,
    models,
    clock,
    logger,
    ...(recordSpend && store.spend != null ? { spend: store.spend } : {}),
  });
  return {
    config,
    models,
    pipeline: createPipeline({ config, clock, random, keyPools: keyPools.get, transport, logger }),
    transport,
    keyPools,
    dialects: createDialects({
      geminiSafetyThreshold: config.geminiSafetyThreshold,
      locale: config.locale,
      timeoutMs: config.timeoutMs,
    }),
    tools: options.toolRegistry ?? defaultToolRegistry,
    invoker: new ToolInvoker({ clock, logger }),
    clock,
    random,
    logger,
    telemetry,
  };
}
