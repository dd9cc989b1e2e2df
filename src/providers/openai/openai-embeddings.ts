import { LLMError } from '../../errors/llm-error.js';
import type { EmbeddingDialect, Mapped, ProviderRequest } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import {
  detectOpenAIQuirks,
  OPENAI_DIALECTS,
  type OpenAIDialectName,
  resolveOpenAIEndpoint,
} from './openai-dialects.js';
import { errorFromOpenAIBody } from './openai-error.js';
import type { OpenAIEmbeddingRequestBody } from './openai-wire.js';

// The platform byte order (base64 vectors are little-endian float32), without loading node:os at start-up.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `POST …/embeddings` for a dialect of the family. Asks for `base64` (a quarter of the JSON size, and
 * cheaper to decode) unless the caller picked a format or the dialect lacks it; returns numbers either way.
 */
export function createOpenAIEmbeddingDialect(name: OpenAIDialectName = 'openai'): EmbeddingDialect {
  const profile = OPENAI_DIALECTS[name];
  return {
    maxBatchSize: profile.embeddingMaxBatch,
    buildEmbeddingRequest(model, texts, config): Mapped<ProviderRequest> {
      const warnings: string[] = [];
      const quirks = detectOpenAIQuirks(model.provider.apiBase);
      // Gemini's OpenAI-compatible endpoint documents float vectors only.
      const base64 = profile.embeddingBase64 && !quirks.geminiCompat;
      const body: OpenAIEmbeddingRequestBody = { model: model.id, input: texts };
      if (config.encodingFormat === 'base64' && !base64) {
        warnings.push(`encodingFormat base64 is not supported by ${profile.name}; asked for float`);
      } else if (config.encodingFormat != null || base64)
        body.encoding_format = config.encodingFormat ?? 'base64';
      if (config.outputDimensionality != null) body.dimensions = config.outputDimensionality;
      if (config.taskType != null)
        warnings.push(`taskType ${config.taskType} is not supported by ${profile.name}; not sent`);
      if (config.title != null) warnings.push(`title is not supported by ${profile.name}; not sent`);
      const { url, headers } = resolveOpenAIEndpoint(model, profile, profile.embeddingPath, false);
      const context = { provider: model.provider.name, model: model.fullName };
      return {
        value: {
          method: 'POST',
          url,
          headers,
          body,
          auth: { scheme: 'bearer' },
          stream: false,
          checkBody: (data) => checkEmbeddingBody(data, context),
        },
        warnings,
      };
    },
    parseEmbeddingResponse(data, inputCount) {
      return parseOpenAIEmbeddings(data, inputCount);
    },
  };
}

function checkEmbeddingBody(data: unknown, context: { provider: string; model: string }): void {
  const error = errorFromOpenAIBody(data, context);
  if (error !== undefined) throw error;
  if (!isRecord(data) || !Array.isArray(data.data)) {
    throw new LLMError(
      'API_RESPONSE_INVALID',
      `${context.provider} returned an embeddings body without data`,
      context,
    );
  }
}

/** `data[]` → vectors in input order (by `index`), base64 float32 decoded; the count must match. */
export function parseOpenAIEmbeddings(data: unknown, inputCount: number): number[][] {
  const items = isRecord(data) && Array.isArray(data.data) ? data.data : undefined;
  if (items === undefined) throw failed('the response has no data array');
  if (items.length !== inputCount) throw failed(`expected ${inputCount} vectors, got ${items.length}`);
  const vectors = new Array<number[] | undefined>(inputCount);
  for (let position = 0; position < items.length; position++) {
    const item: unknown = items[position];
    if (!isRecord(item)) throw failed(`data[${position}] is not an object`);
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= inputCount || vectors[index] !== undefined) {
      throw failed(`data[${position}].index ${String(item.index)} is out of range or repeated`);
    }
    vectors[index] = decodeEmbedding(item.embedding, position);
  }
  return vectors as number[][];
}

function decodeEmbedding(embedding: unknown, position: number): number[] {
  if (Array.isArray(embedding)) return embedding as number[];
  if (typeof embedding !== 'string') throw failed(`data[${position}].embedding is missing`);
  const bytes = Buffer.from(embedding, 'base64');
  if (bytes.byteLength % 4 !== 0) throw failed(`data[${position}].embedding is not float32 base64`);
  if (!LITTLE_ENDIAN) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  // Float32Array needs a 4-byte aligned offset; pooled small buffers may not have one.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const floats = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  // An indexed copy: Array.from(typedArray) walks the iterator protocol, ~10x slower for 1536 floats.
  const vector = new Array<number>(floats.length);
  for (let i = 0; i < floats.length; i++) vector[i] = floats[i]!;
  return vector;
}

function failed(reason: string): LLMError {
  return new LLMError('EMBEDDING_FAILED', `Invalid embeddings response: ${reason}`);
}
