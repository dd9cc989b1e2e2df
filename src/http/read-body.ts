import { LLMError } from '../errors/llm-error.js';
import type { CallContext } from './call-signal.js';

/** The default `maxResponseBytes` (API.md §1): 64 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 67_108_864;

/**
 * `API_RESPONSE_INVALID` for a body over `limit` bytes, built `final`: the same request would get the same
 * body, so it is not retried (API.md §5). `details.limit` names the limit, `details.contentLength` the size
 * the server announced when that is what gave it away.
 */
export function bodyTooLargeError(
  context: CallContext & { status?: number },
  limit: number,
  what: string,
  contentLength?: number,
): LLMError {
  const where = context.provider ?? 'The provider';
  const details: Record<string, unknown> = { limit };
  if (contentLength != null) details.contentLength = contentLength;
  return new LLMError(
    'API_RESPONSE_INVALID',
    `${where} sent ${what} larger than the limit of ${limit} bytes; it was not read further`,
    { ...context, details, final: true },
  );
}

/**
 * Reads a whole body as UTF-8, failing with `onOverLimit()` as soon as more than `limit` bytes arrived:
 * nothing past the limit is buffered, and stopping destroys the body (its connection is dropped).
 */
export async function readLimitedText(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  onOverLimit: () => LLMError,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw onOverLimit();
    chunks.push(
      Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
  }
  if (chunks.length === 1) return chunks[0]!.toString('utf8');
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Reads at most `limit` bytes of a body as UTF-8 (an error body: the head is enough), then drops the rest. */
export async function readTruncatedText(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = limit - size;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(buffer.byteLength > room ? buffer.subarray(0, room) : buffer);
    size += Math.min(buffer.byteLength, room);
    // Stop reading a huge error body; the connection is dropped instead of drained.
    if (size >= limit) break;
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
