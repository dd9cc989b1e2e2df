import type { LLMGenerationConfig, LLMResponse } from '../spec/index.js';
import { modelOf } from './openai-request.js';
import { invalid, isObject, kindOf, numberAt, stringAt } from './request-checks.js';

/** An image generation request, ready for `llm.createImage`. */
export interface GatewayImagesRequest {
  model: string | string[];
  prompt: string;
  responseFormat: 'b64_json' | 'url';
  config: LLMGenerationConfig;
}

const OUTPUT_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

function optionalString(value: unknown, param: string): string | undefined {
  return value == null ? undefined : stringAt(value, param);
}

/**
 * An OpenAI `POST /v1/images/generations` body: `prompt`, `n` (1–10), `size` (`WxH` or `auto`), `quality`,
 * `style`, `background`, `output_format`, `response_format` (`b64_json`, the default, or `url`).
 * @throws LLMError `INVALID_PARAMETER` naming the field.
 */
export function parseImagesRequest(body: unknown): GatewayImagesRequest {
  if (!isObject(body)) throw invalid('body', `must be a JSON object (got ${kindOf(body)})`);
  const model = modelOf(body.model);
  const prompt = stringAt(body.prompt, 'prompt');
  if (prompt.trim() === '') throw invalid('prompt', 'must not be empty');
  const format = body.response_format ?? 'b64_json';
  if (format !== 'b64_json' && format !== 'url')
    throw invalid('response_format', 'must be "b64_json" or "url"');
  const visual: NonNullable<LLMGenerationConfig['visual']> = {};
  const count = numberAt(body.n, 'n', { min: 1, max: 10, integer: true });
  if (count != null) visual.count = count;
  const size = optionalString(body.size, 'size');
  if (size != null && size !== 'auto') visual.aspectRatio = size;
  const quality = optionalString(body.quality, 'quality');
  if (quality != null && quality !== 'auto') visual.quality = quality;
  const style = optionalString(body.style, 'style');
  if (style != null) visual.style = style;
  const background = optionalString(body.background, 'background');
  if (background != null) visual.background = background;
  const config: LLMGenerationConfig = {};
  if (Object.keys(visual).length > 0) config.visual = visual;
  const output = optionalString(body.output_format, 'output_format');
  if (output != null) {
    const mime = OUTPUT_TYPES[output];
    if (mime == null) throw invalid('output_format', 'must be "png", "jpeg" or "webp"');
    config.output = { responseMimeType: mime };
  }
  return { model, prompt, responseFormat: format, config };
}

/**
 * The OpenAI images answer: `b64_json` per image, or `url` (the provider's URL, else a data URL of the bytes);
 * `revised_prompt` when the provider rewrote the prompt.
 */
export function imagesResponse(
  response: LLMResponse,
  format: 'b64_json' | 'url',
  created: number,
): Record<string, unknown> {
  const data = response.images.map((image) => {
    const bytes = image.data.byteLength > 0 ? Buffer.from(image.data).toString('base64') : undefined;
    const item: Record<string, unknown> =
      format === 'url' || bytes == null
        ? { url: image.url ?? `data:${image.mimeType};base64,${bytes ?? ''}` }
        : { b64_json: bytes };
    if (image.revisedPrompt != null) item.revised_prompt = image.revisedPrompt;
    return item;
  });
  const out: Record<string, unknown> = { created, data };
  if (response.usage != null) {
    out.usage = {
      input_tokens: response.usage.promptTokens,
      output_tokens: response.usage.completionTokens,
      total_tokens: response.usage.totalTokens,
    };
  }
  return out;
}
