import type { ProviderErrorContext } from '../../errors/classify-provider-error.js';
import type { ParsedChat } from '../../spec/index.js';
import { parseImagesResponse } from '../openai-images/images-response.js';

/**
 * Parses a `nano_banana` images answer (an OpenAI `ImagesResponse`, seed-spec §3.9): each `data[]` item's
 * `b64_json` (a `data:` prefix stripped) → image bytes typed by sniffing; an item with only `url` is kept
 * as a URL image (empty `data`; the seed dropped it, losing the result); `revised_prompt` kept. `text`
 * stays empty (the seed put a status sentence there). An `error` object or no image at all →
 * `API_RESPONSE_INVALID`.
 */
export function parseNanoBananaResponse(data: unknown, context: ProviderErrorContext = {}): ParsedChat {
  return parseImagesResponse(data, context);
}
