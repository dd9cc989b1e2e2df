import { isRecord } from '../util/safe-json.js';
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
