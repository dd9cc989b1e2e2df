import { createLLM } from '../client/llm.js';
import type { ResolvedProvider } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { LLMConfig, LLMErrorCode } from '../spec/index.js';
import { terminalMessageOf } from './terminal-message.js';

/** What a probe found. `ok` and `rate-limited` (a valid key, busy for now) are not broken. */
export type ProbeStatus =
  | 'ok'
  | 'rate-limited'
  | 'invalid'
  | 'quota-exceeded'
  | 'location-not-supported'
  | 'unreachable'
  | 'timeout'
  | 'model-not-found'
  | 'server-error'
  | 'error'
  | 'skipped';

/** One key's probe. */
export interface ProbeResult {
  provider: string;
  keyId: string;
  status: ProbeStatus;
  /** False when the key cannot be used (invalid, quota, location, unreachable, …). */
  broken: boolean;
  /** The model probed (`"Provider/model"`). */
  model?: string;
  /** How the probe was made. */
  probe?: 'chat' | 'embedding';
  latencyMs?: number;
  code?: LLMErrorCode;
  /** What to do, for the person at the terminal (in the client's locale), or why the key was skipped. */
  message?: string;
  /** The technical message, for `--debug` and `--json`. */
  detail?: string;
}

/** What to probe a provider with: its first chat model, else its first embedding model. */
export interface ProbeTarget {
  provider: ResolvedProvider;
  /** Index of the provider in the config (to build a one-key copy of it). */
  index: number;
  kind: 'chat' | 'embedding' | 'none';
  model?: string;
}

/** The cheapest call per provider: a 1-token chat, else a one-word embedding; image-only providers are skipped. */
export function probeTargetOf(provider: ResolvedProvider, index: number): ProbeTarget {
  const chat = provider.models.find((model) => model.kind === 'chat');
  if (chat != null) return { provider, index, kind: 'chat', model: chat.fullName };
  const embedding = provider.models.find((model) => model.kind === 'embedding');
  if (embedding != null) return { provider, index, kind: 'embedding', model: embedding.fullName };
  return { provider, index, kind: 'none' };
}

const STATUS_OF: Partial<Record<LLMErrorCode, ProbeStatus>> = {
  API_KEY_INVALID: 'invalid',
  API_RATE_LIMITED: 'rate-limited',
  API_QUOTA_EXCEEDED: 'quota-exceeded',
  USER_LOCATION_NOT_SUPPORTED: 'location-not-supported',
  API_REQUEST_FAILED: 'unreachable',
  API_TIMEOUT: 'timeout',
  MODEL_NOT_FOUND: 'model-not-found',
  API_SERVER_ERROR: 'server-error',
};

/** A copy of the config with one provider holding one key: no rotation can hide a bad key, no retries, no file. */
function singleKeyConfig(config: LLMConfig, index: number, key: string, timeoutMs: number): LLMConfig {
  const { defaultModel: _d, defaultEmbeddingModel: _e, ...rest } = config;
  const provider = config.providers[index];
  if (provider == null) throw new LLMError('CONFIGURATION_ERROR', `providers[${index}]: missing`);
  return {
    ...rest,
    providers: [{ ...provider, apiKeys: [key], timeoutMs }],
    keyStore: 'memory',
    retry: { ...config.retry, maxRetries: 0 },
    timeoutMs,
  };
}

/**
 * Probes one key with its own client (memory key store, no retries, `timeoutMs` for the whole call).
 * `keyId` is its id in the provider's pool (`keyIdsOf` of all its keys), as `switchboard keys` shows it.
 */
export async function probeKey(
  config: LLMConfig,
  target: ProbeTarget,
  { key, keyId }: { key: string; keyId: string },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const base = { provider: target.provider.name, keyId };
  if (target.kind === 'none' || target.model == null) {
    return {
      ...base,
      status: 'skipped',
      broken: false,
      message: 'image-only provider: not probed (a probe would generate an image)',
    };
  }
  const probe = target.kind;
  const started = Date.now();
  const call = { model: target.model, timeoutMs, ...(signal != null ? { signal } : {}) };
  let llm: ReturnType<typeof createLLM> | undefined;
  try {
    llm = createLLM(singleKeyConfig(config, target.index, key, timeoutMs));
    if (probe === 'chat') {
      await llm.chat('ping', { ...call, config: { core: { maxTokens: 1 } } });
    } else {
      await llm.embed('ping', call);
    }
    return {
      ...base,
      status: 'ok',
      broken: false,
      model: target.model,
      probe,
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    const failure = LLMError.from(error);
    const result: ProbeResult = {
      ...base,
      model: target.model,
      probe,
      status: 'error',
      broken: true,
      code: failure.code,
      message: terminalMessageOf(failure),
      detail: failure.message,
    };
    // A 2xx answer means the provider accepted the key; the failure was about the tiny answer itself.
    if (
      failure.attempts?.some(
        (attempt) => attempt.status != null && attempt.status >= 200 && attempt.status < 300,
      )
    ) {
      return {
        ...result,
        status: 'ok',
        broken: false,
        latencyMs: Date.now() - started,
        message: `key accepted (the 1-token answer was unusable: ${failure.code})`,
      };
    }
    const status = STATUS_OF[failure.code] ?? 'error';
    return { ...result, status, broken: status !== 'rate-limited' };
  } finally {
    await llm?.close();
  }
}
