import { endianness } from 'node:os';
import type { LLMEmbeddingConfig } from '../spec/index.js';
import { modelOf } from './openai-request.js';
import { invalid, isObject, kindOf, numberAt } from './request-checks.js';

/** An embeddings request, ready for `llm.embed`. */
export interface GatewayEmbeddingsRequest {
  model: string | string[];
  input: string[];
  encoding: 'float' | 'base64';
  config: LLMEmbeddingConfig;
}

function inputOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('input', `must be a string or a non-empty array of strings (got ${kindOf(value)})`);
  }
  return value.map((item, index) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || Array.isArray(item))
      throw invalid(`input[${index}]`, 'token arrays are not supported by the gateway; send text');
    throw invalid(`input[${index}]`, `must be a string (got ${kindOf(item)})`);
  });
}

/**
 * An OpenAI `POST /v1/embeddings` body: `input` (a string or strings; token arrays → 400), `encoding_format`
 * (`float`, the default, or `base64`), `dimensions`; `user` and unknown fields are ignored.
 * @throws LLMError `INVALID_PARAMETER` naming the field.
 */
export function parseEmbeddingsRequest(body: unknown): GatewayEmbeddingsRequest {
  if (!isObject(body)) throw invalid('body', `must be a JSON object (got ${kindOf(body)})`);
  const model = modelOf(body.model);
  if (typeof body.input === 'number' || (Array.isArray(body.input) && typeof body.input[0] === 'number'))
    throw invalid('input', 'token arrays are not supported by the gateway; send text');
  const input = inputOf(body.input);
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw invalid('encoding_format', 'must be "float" or "base64"');
  const config: LLMEmbeddingConfig = {};
  const dimensions = numberAt(body.dimensions, 'dimensions', { min: 1, integer: true });
  if (dimensions != null) config.outputDimensionality = dimensions;
  return { model, input, encoding: format, config };
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** A vector as OpenAI's base64: the little-endian float32 bytes. */
export function vectorBase64(vector: readonly number[]): string {
  if (LITTLE_ENDIAN) return Buffer.from(Float32Array.from(vector).buffer).toString('base64');
  const bytes = Buffer.alloc(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index] as number, index * 4);
  return bytes.toString('base64');
}

/**
 * Token count of the inputs, estimated (about four characters a token): `llm.embed` returns vectors only, so
 * the usage an embeddings answer reports, and counts toward `tpm`, is this estimate.
 */
export function estimateTokens(input: readonly string[]): number {
  let characters = 0;
  for (const text of input) characters += text.length;
  return Math.ceil(characters / 4);
}

/** The OpenAI embeddings answer. */
export function embeddingsResponse(
  vectors: readonly number[][],
  encoding: 'float' | 'base64',
  model: string,
  promptTokens: number,
): Record<string, unknown> {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? vectorBase64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
