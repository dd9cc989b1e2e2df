import type { ProviderErrorContext } from '../../errors/classify-provider-error.js';
import type { GeneratedImage, LLMContentPart, LLMUsage, ParsedChat } from '../../spec/index.js';
import { mimeFromFileName, sniffMimeType } from '../../util/mime.js';
import { isRecord } from '../../util/safe-json.js';
import { invalidResponse, llmErrorFromBody } from '../openai-responses/responses-error.js';

const FORMAT_MIME: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/** Throws the error a 2xx images body really carries (`error` object, no `data` images). */
export function checkImagesBody(data: unknown, context: ProviderErrorContext = {}): void {
  if (!isRecord(data)) throw invalidResponse('the images API answered with a non-object body', context);
  const error = llmErrorFromBody(data, context);
  if (error != null) throw error;
  if (!Array.isArray(data.data) || data.data.length === 0) {
    throw invalidResponse('the images API returned no images (empty or missing data array)', context);
  }
}

/**
 * Parses an `ImagesResponse`: `b64_json` → bytes with the MIME type sniffed from them (else
 * `output_format`); `url` → kept in `url` with empty `data` (never downloaded); `revised_prompt` →
 * `revisedPrompt`. `contentParts` holds the same images as media parts; `text` stays empty.
 */
export function parseImagesResponse(data: unknown, context: ProviderErrorContext = {}): ParsedChat {
  checkImagesBody(data, context);
  const body = data as Record<string, unknown>;
  const formatMime = typeof body.output_format === 'string' ? FORMAT_MIME[body.output_format] : undefined;
  const images: GeneratedImage[] = [];
  const contentParts: LLMContentPart[] = [];
  const warnings: string[] = [];

  (body.data as unknown[]).forEach((item, index) => {
    if (!isRecord(item)) return;
    let image: GeneratedImage | undefined;
    if (typeof item.b64_json === 'string' && item.b64_json !== '') {
      const base64 = stripDataPrefix(item.b64_json);
      const bytes = decodeBase64(base64);
      const mimeType = sniffMimeType(bytes.subarray(0, 64)) ?? formatMime ?? 'image/png';
      image = { mimeType, data: bytes };
      contentParts.push({ type: 'image', mimeType, data: base64 });
    } else if (typeof item.url === 'string' && item.url !== '') {
      const mimeType = mimeFromFileName(item.url) ?? formatMime ?? 'image/png';
      image = { mimeType, data: new Uint8Array(0), url: item.url };
      contentParts.push({ type: 'image', mimeType, url: item.url });
    } else {
      warnings.push(`data[${index}] has neither b64_json nor url; skipped`);
      return;
    }
    if (typeof item.revised_prompt === 'string' && item.revised_prompt !== '') {
      image.revisedPrompt = item.revised_prompt;
    }
    images.push(image);
  });
  if (images.length === 0) throw invalidResponse('the images API returned no image data', context);

  const parsed: ParsedChat = {
    text: '',
    contentParts,
    toolCalls: [],
    finishReason: 'stop',
    images,
    warnings,
  };
  const usage = imageUsageOf(body.usage);
  if (usage != null) parsed.usage = usage;
  return parsed;
}

function imageUsageOf(usage: unknown): LLMUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = typeof usage.input_tokens === 'number' ? usage.input_tokens : 0;
  const output = typeof usage.output_tokens === 'number' ? usage.output_tokens : 0;
  const total = typeof usage.total_tokens === 'number' ? usage.total_tokens : input + output;
  return { promptTokens: input, completionTokens: output, totalTokens: total };
}

function stripDataPrefix(data: string): string {
  return data.startsWith('data:') ? data.slice(data.indexOf(',') + 1) : data;
}

/** Base64 (a `data:` prefix tolerated) → bytes that own their buffer (small decodes share Node's pool). */
export function decodeBase64(data: string): Uint8Array {
  const buffer = Buffer.from(stripDataPrefix(data), 'base64');
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}
