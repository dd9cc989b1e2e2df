import type { ProviderDefinition } from '../../spec/index.js';
import { createNanoBananaImageDialect } from './nano-banana-dialect.js';

/**
 * `nano_banana`: the OpenAI images protocol as image relays expose it (seed-spec §3.9): `POST
 * {apiBase}/v1/images/generations` with JSON, input images as base64 `image: [...]`. An image protocol only:
 * every model is an image model for `createImage`; chat, streams, structured output and embeddings on it fail
 * with `INVALID_PARAMETER` (use `openrouter` for image models that answer inside chat with `modalities`).
 * Input images must carry their bytes: image URLs are downloaded when the call has `fetchRemoteMedia` on,
 * else refused naming the image. Needs an `apiBase` (the relay).
 */
export const nanoBananaProvider: ProviderDefinition = {
  apiType: 'nano_banana',
  auth: { scheme: 'bearer' },
  imageOnly: true,
  // An unknown model behind this type still makes images (and calls no tools).
  capabilities: (_modelId, found) =>
    found.outputModalities.includes('image')
      ? found
      : { ...found, outputModalities: ['image'], toolCalling: false },
  image: () => createNanoBananaImageDialect(),
  mediaUrls: { image: false },
};
