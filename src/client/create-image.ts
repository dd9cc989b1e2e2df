import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import type { LLMContentPart, LLMGenerationConfig, LLMResponse, MediaPart } from '../spec/index.js';
import { sniffMimeType } from '../util/mime.js';
import { buildResponse } from './build-response.js';
import { baseCallOptions, checkCallOptions, IMAGE_OPTION_KEYS } from './call-options-check.js';
import { type CallScope, scopeFor } from './call-scope.js';
import { type ClientContext, toPipelineRequest } from './client-context.js';
import type { ImageInput, ImageOptions } from './options.js';
import { mergedCallConfig, prepareChat } from './prepare-chat.js';
import { type PreparedChat, runChat, withCallContext } from './run-chat.js';

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

/** Turns `createImage`'s `images` option into media parts (bytes base64-encoded, data URLs split, URLs by reference). */
export function toImageParts(images: ImageInput | ImageInput[] | undefined): MediaPart[] {
  if (images == null) return [];
  const list = Array.isArray(images) ? images : [images];
  return list.map((image, index) => {
    if (image instanceof Uint8Array) {
      return {
        type: 'image',
        mimeType: sniffMimeType(image) ?? 'image/png',
        data: Buffer.from(image).toString('base64'),
      };
    }
    if (typeof image === 'string') {
      const match = DATA_URL.exec(image);
      if (match != null) return { type: 'image', mimeType: match[1] ?? 'image/png', data: match[2] ?? '' };
      if (/^https?:\/\//i.test(image)) return { type: 'image', url: image };
      throw new LLMError(
        'INVALID_PARAMETER',
        `images[${index}]: a string must be a data URL or an http(s) URL (read files with createMultimodalMessage or fs first)`,
      );
    }
    if (image != null && typeof image === 'object' && (image as MediaPart).type === 'image')
      return image as MediaPart;
    throw new LLMError(
      'INVALID_PARAMETER',
      `images[${index}]: must be bytes, a data URL, an http(s) URL or an image part`,
    );
  });
}

/**
 * `createImage`: a dedicated images endpoint (OpenAI images, Gemini image models) or, for chat models that
 * answer with images (`nano_banana`, OpenRouter), a chat call asking for image output.
 */
export async function createImage(
  ctx: ClientContext,
  model: ResolvedModel,
  prompt: string,
  images: MediaPart[],
  config: LLMGenerationConfig,
  scope: CallScope,
  chatCall: () => Promise<PreparedChat>,
): Promise<LLMResponse> {
  const route = ctx.dialects.image(model);
  let response: LLMResponse;
  if (route.kind === 'images') {
    const mapped = route.dialect.buildImageRequest(model, prompt, images, config);
    try {
      const result = await ctx.pipeline(toPipelineRequest('image', model, mapped.value, scope));
      const parsed = route.dialect.parseImageResponse(result.data);
      response = buildResponse(parsed, model.fullName, result.attempts, mapped.warnings);
    } catch (error) {
      throw withCallContext(error, model, [], ctx);
    } finally {
      scope.dispose();
    }
  } else {
    const call = await chatCall();
    call.config = mergeGenerationConfig(call.config, { output: { responseModalities: ['IMAGE', 'TEXT'] } });
    const content: LLMContentPart[] = [{ type: 'text', text: prompt }, ...images];
    response = (await runChat(ctx, call, [{ role: 'user', content }])).response;
  }
  if (response.images.length === 0) {
    throw new LLMError(
      'GENERATION_FAILED',
      `${model.fullName} returned no image${response.text !== '' ? ` (it answered: ${response.text.slice(0, 200)})` : ''}.`,
      {
        provider: model.provider.name,
        model: model.fullName,
        attempts: response.attempts,
        details: { text: response.text },
      },
    );
  }
  return response;
}

/** The named model, else the first image model configured, else the default chat model. */
function resolveImageModel(ctx: ClientContext, name: string | readonly string[] | undefined): ResolvedModel {
  if (name != null) return ctx.models.resolve(name);
  const image = ctx.models.list().find((info) => info.kind === 'image');
  return ctx.models.resolve(image?.name);
}

/** `llm.createImage`: options checked, the image model resolved, then `createImage`. */
export async function createImageCall(
  ctx: ClientContext,
  prompt: string,
  options: ImageOptions,
): Promise<LLMResponse> {
  checkCallOptions(options, IMAGE_OPTION_KEYS);
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new LLMError('INVALID_PARAMETER', 'prompt: must be a non-empty string');
  }
  const model = resolveImageModel(ctx, options.model);
  const images = toImageParts(options.images);
  const config = mergedCallConfig(model, options.config);
  const scope = scopeFor(ctx.clock, model, options, false);
  const chatOptions = {
    ...baseCallOptions(options),
    ...(options.config != null ? { config: options.config } : {}),
  };
  return createImage(ctx, model, prompt, images, config, scope, () => prepareChat(ctx, chatOptions, false));
}
