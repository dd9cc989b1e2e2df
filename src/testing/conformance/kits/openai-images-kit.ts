import { openaiChatReply } from '../../openai-replies.js';
import type { JsonReply, Reply } from '../../reply-types.js';
import type { ConformanceImage, WireKit } from '../conformance-types.js';
import { openaiChatWireKit, openaiErrorReplies } from './openai-chat-kit.js';

const IMAGE_ERRORS = (({ contentFiltered: _notAnImageError, ...rest }) => rest)(openaiErrorReplies);

/**
 * The wire kit of the OpenAI images endpoint (`openai_image`: `/v1/images/generations`, `b64_json` answers), on
 * the fake provider. Image-only: no chat builders.
 */
export const openaiImagesWireKit: WireKit<Reply> = {
  name: 'OpenAI images',
  errors: IMAGE_ERRORS,
  stall: () => ({ stall: true }),
  reset: () => ({ reset: true }),
  images: (images): JsonReply => ({
    json: {
      created: Math.floor(Date.now() / 1000),
      data: images.map((image) => ({ b64_json: image.base64 })),
      usage: { input_tokens: 10, output_tokens: 100, total_tokens: 110 },
    },
  }),
  read: { toolResults: () => [] },
  unsupported: {
    'errors.contentFiltered': 'the images endpoint reports moderation as a 400 (an invalid-parameter error)',
  },
};

/** A chat completion carrying images as data URLs in `message.images` (OpenRouter-style image output). */
export function chatWithImages(images: readonly ConformanceImage[], text = ''): JsonReply {
  const reply = openaiChatReply(text);
  const json = reply.json as { choices: { message: Record<string, unknown> }[] };
  const message = json.choices[0]?.message;
  if (message != null) {
    message.images = images.map((image) => ({
      type: 'image_url',
      image_url: { url: `data:${image.mimeType};base64,${image.base64}` },
    }));
  }
  return reply;
}

/**
 * The wire kit of image models answering inside OpenAI-style chat (OpenRouter image models): the OpenAI chat
 * kit, plus images as `message.images` data URLs.
 */
export const openrouterImagesWireKit: WireKit<Reply> = {
  ...openaiChatWireKit,
  name: 'OpenAI-style chat with image output (OpenRouter image models)',
  images: (images) => chatWithImages(images),
  unsupported: (({ images: _has, ...rest }) => rest)(openaiChatWireKit.unsupported ?? {}),
};

/**
 * The wire kit of image relays speaking the OpenAI images protocol as `nano_banana` does
 * (`POST /v1/images/generations`, JSON body, `b64_json` answers). Image-only: no chat builders.
 */
export const nanoBananaWireKit: WireKit<Reply> = {
  ...openaiImagesWireKit,
  name: 'Image relays (nano_banana images protocol)',
};
