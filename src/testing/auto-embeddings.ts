import { createHash } from 'node:crypto';
import { isRecord } from '../util/safe-json.js';
import { countWords } from './openai-replies.js';
import type { JsonReply } from './reply-types.js';

/** Vector length when the request names none. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

/**
 * The vector the fake answers for `input`: deterministic (from SHA-256 of the text), unit length, each value
 * exactly representable as float32 (so the base64 encoding decodes to the same numbers).
 * @example expect(await llm.embed('hi')).toEqual([fakeEmbedding('hi')])
 */
export function fakeEmbedding(input: string, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${input}`).digest();
    for (let offset = 0; offset + 4 <= digest.length && raw.length < dimensions; offset += 4) {
      raw.push((digest.readUInt32LE(offset) / 2 ** 32) * 2 - 1);
    }
  }
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

/** Little-endian float32 bytes, base64-encoded (OpenAI `encoding_format: 'base64'`). */
export function toBase64Float32(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function openaiInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((item) => typeof item === 'number')) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

function dimensionsOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? value
    : DEFAULT_EMBEDDING_DIMENSIONS;
}

/** Automatic `POST /v1/embeddings` answer: one vector per input, `index` per item, float or base64. */
export function openaiEmbeddingsReply(body: unknown, model: string): JsonReply {
  const request = isRecord(body) ? body : {};
  const dimensions = dimensionsOf(request.dimensions);
  const base64 = request.encoding_format === 'base64';
  const inputs = openaiInputs(request.input);
  const data = inputs.map((input, index) => {
    const vector = fakeEmbedding(input, dimensions);
    return { object: 'embedding', index, embedding: base64 ? toBase64Float32(vector) : vector };
  });
  const tokens = inputs.reduce((sum, input) => sum + Math.max(1, countWords(input)), 0);
  return { json: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}

function geminiText(content: unknown): string {
  const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
  return parts.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function geminiValues(request: unknown): { values: number[] } {
  const fields = isRecord(request) ? request : {};
  return { values: fakeEmbedding(geminiText(fields.content), dimensionsOf(fields.outputDimensionality)) };
}

/** Automatic Gemini `:embedContent` / `:batchEmbedContents` answer. */
export function geminiEmbeddingsReply(body: unknown, batch: boolean): JsonReply {
  if (!batch) return { json: { embedding: geminiValues(body) } };
  const requests = isRecord(body) && Array.isArray(body.requests) ? body.requests : [];
  return { json: { embeddings: requests.map(geminiValues) } };
}
