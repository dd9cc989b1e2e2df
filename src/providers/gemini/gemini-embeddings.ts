import { LLMError } from '../../errors/llm-error.js';
import type {
  EmbeddingDialect,
  LLMEmbeddingConfig,
  Mapped,
  ProviderModel,
  ProviderRequest,
} from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import { type GeminiErrorContext, geminiBodyError, invalidResponse } from './gemini-error.js';
import { GEMINI_AUTH, geminiHeaders, geminiModelName, geminiUrl } from './gemini-request.js';
import type { GeminiBatchEmbedContentsRequest, GeminiEmbedContentRequest } from './gemini-wire.js';

/** Most requests one `batchEmbedContents` call takes. */
export const GEMINI_MAX_EMBED_BATCH = 100;

function embedRequest(
  text: string,
  config: LLMEmbeddingConfig,
  title: string | undefined,
  model?: string,
): GeminiEmbedContentRequest {
  // Gemini rejects empty content; a single space embeds "nothing" (the seed's choice).
  const request: GeminiEmbedContentRequest = { content: { parts: [{ text: text === '' ? ' ' : text }] } };
  if (model != null) request.model = model;
  if (config.taskType != null) request.taskType = config.taskType;
  if (title != null) request.title = title;
  if (config.outputDimensionality != null) request.outputDimensionality = config.outputDimensionality;
  return request;
}

function vectorOf(embedding: unknown): number[] | undefined {
  if (!isRecord(embedding) || !Array.isArray(embedding.values)) return undefined;
  return embedding.values as number[];
}

/** Throws the classified error of an `{ error }` body, or `API_RESPONSE_INVALID` for a body without vectors. */
function checkEmbeddingBody(data: unknown, context: GeminiErrorContext): void {
  const error = geminiBodyError(data, context);
  if (error != null) throw error;
  if (!isRecord(data) || (!Array.isArray(data.embeddings) && !isRecord(data.embedding))) {
    throw invalidResponse('embedding response has neither embeddings nor embedding', context);
  }
}

/**
 * Gemini embeddings: one text → `:embedContent`, several → `:batchEmbedContents` (at most 100, each
 * request naming `models/<id>`). `taskType`, `title` (only with `RETRIEVAL_DOCUMENT`) and
 * `outputDimensionality` go on every request; vectors come back in input order.
 */
export function createGeminiEmbeddingDialect(): EmbeddingDialect {
  return {
    maxBatchSize: GEMINI_MAX_EMBED_BATCH,
    buildEmbeddingRequest(
      model: ProviderModel,
      texts: string[],
      config: LLMEmbeddingConfig,
    ): Mapped<ProviderRequest> {
      if (texts.length === 0) throw new LLMError('INVALID_PARAMETER', 'texts: at least one text is required');
      if (texts.length > GEMINI_MAX_EMBED_BATCH) {
        throw new LLMError(
          'INVALID_PARAMETER',
          `texts: Gemini embeds at most ${GEMINI_MAX_EMBED_BATCH} texts per request (got ${texts.length})`,
        );
      }
      const warnings: string[] = [];
      let title = config.title;
      if (title != null && config.taskType !== 'RETRIEVAL_DOCUMENT') {
        warnings.push('Gemini takes an embedding title only with taskType RETRIEVAL_DOCUMENT; title ignored');
        title = undefined;
      }
      if (config.encodingFormat === 'base64') {
        warnings.push('Gemini returns float vectors; encodingFormat ignored');
      }
      const single = texts.length === 1;
      const name = geminiModelName(model.id);
      const body: GeminiEmbedContentRequest | GeminiBatchEmbedContentsRequest = single
        ? embedRequest(texts[0] as string, config, title)
        : { requests: texts.map((text) => embedRequest(text, config, title, name)) };
      const context = { model };
      return {
        value: {
          method: 'POST',
          url: geminiUrl(model, single ? 'embedContent' : 'batchEmbedContents').url,
          headers: geminiHeaders(model),
          body,
          auth: GEMINI_AUTH,
          stream: false,
          checkBody: (data) => checkEmbeddingBody(data, context),
        },
        warnings,
      };
    },
    parseEmbeddingResponse(data: unknown, inputCount: number): number[][] {
      checkEmbeddingBody(data, {});
      const body = data as Record<string, unknown>;
      const items = Array.isArray(body.embeddings) ? body.embeddings : [body.embedding];
      if (items.length !== inputCount) {
        throw invalidResponse(`expected ${inputCount} embeddings, got ${items.length}`, {});
      }
      return items.map((item, index) => {
        const vector = vectorOf(item);
        if (vector == null) throw invalidResponse(`embedding ${index} has no values`, {});
        return vector;
      });
    },
  };
}
