import type { ImageDialect } from '../../spec/index.js';
import { buildNanoBananaRequest } from './nano-banana-request.js';
import { parseNanoBananaResponse } from './nano-banana-response.js';

/**
 * The `nano_banana` image dialect: the OpenAI images protocol as image relays expose it (seed-spec §3.9;
 * `POST /v1/images/generations` with JSON, input images as base64 `image: [...]`). OpenRouter-style image
 * answers inside chat (`modalities`) stay with the `openrouter` chat dialect.
 */
export function createNanoBananaImageDialect(): ImageDialect {
  return {
    buildImageRequest: buildNanoBananaRequest,
    parseImageResponse: (data) => parseNanoBananaResponse(data),
  };
}
