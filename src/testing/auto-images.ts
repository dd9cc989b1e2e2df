import { isRecord } from '../util/safe-json.js';
import { openaiErrorReply } from './openai-replies.js';
import type { JsonReply } from './reply-types.js';

/** A valid 1×1 PNG, base64 — what automatic image answers contain. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function countOf(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 10 ? n : 1;
}

/**
 * Automatic `POST /v1/images/generations` and `/v1/images/edits` answer: `n` tiny PNGs as `b64_json`, or with
 * `response_format: 'url'` as URLs served by the fake itself.
 */
export function imagesReply(body: unknown, imageUrl: string): JsonReply {
  const fields = isRecord(body) ? body : {};
  const asUrl = fields.response_format === 'url';
  const data = Array.from({ length: countOf(fields.n) }, () =>
    asUrl ? { url: imageUrl } : { b64_json: TINY_PNG_BASE64 },
  );
  return { json: { created: Math.floor(Date.now() / 1000), data } };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The 400 a relay of the `nano_banana` images protocol gives a malformed `POST /v1/images/generations`
 * JSON body, or `undefined` when it is fine: `image` (input images) must be a non-empty array of plain
 * base64 strings (no `data:` prefix, no URLs); `image_size`, `size` and `aspect_ratio` must be strings.
 */
export function imagesGenerationProblem(body: unknown): JsonReply | undefined {
  if (!isRecord(body)) return undefined;
  const invalid = (param: string, message: string) =>
    openaiErrorReply(400, { message: `Invalid '${param}': ${message}`, param, code: 'invalid_value' });
  for (const field of ['image_size', 'size', 'aspect_ratio']) {
    if (body[field] !== undefined && typeof body[field] !== 'string')
      return invalid(field, 'expected a string.');
  }
  if (body.image === undefined) return undefined;
  if (!Array.isArray(body.image) || body.image.length === 0) {
    return invalid('image', 'expected a non-empty array of base64-encoded images.');
  }
  for (const [index, image] of body.image.entries()) {
    if (typeof image !== 'string' || image === '' || !BASE64.test(image)) {
      return invalid(`image[${index}]`, 'expected base64-encoded image data (no data: prefix, no URL).');
    }
  }
  return undefined;
}
