import type { LLMContentPart, LLMMessage, LLMResponse } from '../spec/index.js';

const MEDIA = new Set(['image', 'audio', 'video', 'file']);

/** A media part with its base64 `data` replaced by the decoded size (`bytes`). */
function printablePart(part: LLMContentPart): unknown {
  if (!MEDIA.has(part.type) || !('data' in part) || typeof part.data !== 'string') return part;
  const { data, ...rest } = part;
  return { ...rest, bytes: Buffer.byteLength(data, 'base64') };
}

function printableMessage(message: LLMMessage): unknown {
  if (typeof message.content === 'string') return message;
  return { ...message, content: message.content.map(printablePart) };
}

/**
 * An `LLMResponse` ready for `JSON.stringify`: images as `{ mimeType, bytes, url?, revisedPrompt? }` and media
 * parts with `bytes` instead of base64 data. (Keys never appear in a response; attempts carry masked ids.)
 */
export function printableResponse(response: LLMResponse): Record<string, unknown> {
  return {
    ...response,
    contentParts: response.contentParts.map(printablePart),
    images: response.images.map(({ data, ...rest }) => ({ ...rest, bytes: data.byteLength })),
    message: printableMessage(response.message),
  };
}
