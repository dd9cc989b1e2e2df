import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { validateEmbeddingConfig } from '../generation/embedding-config.js';
import type { AttemptRecord, LLMEmbeddingConfig } from '../spec/index.js';
import { checkCallOptions, EMBED_OPTION_KEYS } from './call-options-check.js';
import { type CallScope, scopeFor } from './call-scope.js';
import { type ClientContext, toPipelineRequest } from './client-context.js';
import type { EmbedOptions } from './options.js';
import { routedEmbed } from './routed-calls.js';
import { withCallContext } from './run-chat.js';

/** Batches of one embedding call run at most this many at a time. */
const EMBED_CONCURRENCY = 4;

/** Checks `texts` (a string or an array of strings) and returns the array. */
export function checkTexts(texts: unknown, path = 'texts'): string[] {
  if (typeof texts === 'string') return [texts];
  if (!Array.isArray(texts))
    throw new LLMError('INVALID_PARAMETER', `${path}: must be a string or an array of strings`);
  texts.forEach((text, index) => {
    if (typeof text !== 'string') {
      throw new LLMError('INVALID_PARAMETER', `${path}[${index}]: must be a string (got ${typeof text})`);
    }
  });
  return texts as string[];
}

/**
 * Embeds `texts` in batches of the dialect's limit, at most `EMBED_CONCURRENCY` batches in flight, and
 * returns the vectors in input order. Each batch goes through the pipeline (retries, keys, deadline).
 */
export async function embedTexts(
  ctx: ClientContext,
  model: ResolvedModel,
  texts: string[],
  config: LLMEmbeddingConfig,
  scope: CallScope,
): Promise<number[][]> {
  if (texts.length === 0) return [];
  const dialect = ctx.dialects.embedding(model);
  const size = Math.max(1, dialect.maxBatchSize);
  const vectors: number[][] = new Array(texts.length);
  const attempts: AttemptRecord[] = [];
  let next = 0;
  // Once a batch fails the call has failed: the other workers start no further batches.
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < texts.length) {
      const start = next;
      next += size;
      const batch = texts.slice(start, start + size);
      const mapped = dialect.buildEmbeddingRequest(model, batch, config);
      const response = await ctx.pipeline(toPipelineRequest('embedding', model, mapped.value, scope));
      attempts.push(...response.attempts);
      let batchVectors: number[][];
      try {
        batchVectors = dialect.parseEmbeddingResponse(response.data, batch.length);
      } catch (error) {
        throw LLMError.isInstance(error) ? error : LLMError.from(error, 'EMBEDDING_FAILED');
      }
      for (let i = 0; i < batchVectors.length; i++) vectors[start + i] = batchVectors[i] as number[];
    }
  };
  try {
    const workers = Math.min(EMBED_CONCURRENCY, Math.ceil(texts.length / size));
    await Promise.all(
      Array.from({ length: workers }, () =>
        worker().catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
  } catch (error) {
    throw withCallContext(error, model, attempts, ctx);
  } finally {
    scope.dispose();
  }
  return vectors;
}

/** `llm.embed`: options checked, the embedding model resolved, then `embedTexts`. */
export async function embedCall(
  ctx: ClientContext,
  texts: string | string[],
  options: EmbedOptions,
): Promise<number[][]> {
  checkCallOptions(options, EMBED_OPTION_KEYS);
  const route = ctx.models.route(options.model, true);
  if (route !== undefined) return routedEmbed(ctx, route, texts, options, embedCall);
  const list = checkTexts(texts);
  const model = ctx.models.resolveEmbedding(options.model);
  const config: LLMEmbeddingConfig = options.config != null ? validateEmbeddingConfig(options.config) : {};
  return embedTexts(ctx, model, list, config, scopeFor(ctx.clock, model, options, false));
}
