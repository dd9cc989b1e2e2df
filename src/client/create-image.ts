import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import { rescueMarkdownImages } from '../providers/nano-banana/markdown-image-rescue.js';
import type {
  AttemptRecord,
  LLMContentPart,
  LLMGenerationConfig,
  LLMResponse,
  MediaPart,
} from '../spec/index.js';
import { sniffMimeType } from '../util/mime.js';
import { assistantMessageOf, buildResponse } from './build-response.js';
import { type CallMedia, callMediaFor, downloaderFor, inlineRemoteMedia } from './call-media.js';
import { baseCallOptions, checkCallOptions, IMAGE_OPTION_KEYS } from './call-options-check.js';
import { type CallScope, scopeFor } from './call-scope.js';
import { type ClientContext, toPipelineRequest } from './client-context.js';
import type { ChatOptions, ImageInput, ImageOptions } from './options.js';
import { mergedCallConfig, prepareChat } from './prepare-chat.js';
import { type PreparedChat, runChat, withCallContext } from './run-chat.js';
import {
  checkValidator,
  ResponseValidation,
  type ResponseValidator,
  requireImage,
} from './validate-response.js';

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

/** Everything `createImage` needs besides the model and the prompt. */
export interface ImageCall {
  images: MediaPart[];
  config: LLMGenerationConfig;
  scope: CallScope;
  /** `fetchRemoteMedia`, when on: input image URLs the type needs inline, and the Markdown-image rescue. */
  media: CallMedia | undefined;
  /** The answer check (default `requireImage`). */
  validator: ResponseValidator;
  /** Prepares the chat call of a type without an images endpoint (with `validator` and `fetchRemoteMedia`). */
  chatCall: () => Promise<PreparedChat>;
}

/**
 * `createImage`: a dedicated images endpoint (OpenAI images, `nano_banana`, Gemini image models) or, for types
 * without one (OpenRouter image models), a chat call asking for image output. Either way the answer goes
 * through the Markdown-image rescue (an answer with no image but `![…](https://…)` links: with
 * `fetchRemoteMedia` the linked images are downloaded, else they come back as URL-only images with empty
 * `data`), then the validator (`requireImage` by default): a refused answer is asked again on the same model up
 * to `retry.maxRetries` times within the deadline, then `GENERATION_FAILED`.
 */
export async function createImage(
  ctx: ClientContext,
  model: ResolvedModel,
  prompt: string,
  request: ImageCall,
): Promise<LLMResponse> {
  const route = ctx.dialects.image(model);
  if (route.kind === 'chat') {
    const call = await request.chatCall();
    call.config = mergeGenerationConfig(call.config, { output: { responseModalities: ['IMAGE', 'TEXT'] } });
    call.finishResponse = (response) => rescueImages(ctx, model, request.media, call.scope, response);
    const content: LLMContentPart[] = [{ type: 'text', text: prompt }, ...request.images];
    return (await runChat(ctx, call, [{ role: 'user', content }])).response;
  }
  const { scope } = request;
  const validation = new ResponseValidation(
    request.validator,
    ctx.config.retry.maxRetries,
    model,
    scope,
    ctx.clock,
  );
  const attempts: AttemptRecord[] = [];
  try {
    const images = await inlineImages(ctx, model, request.media, request.images, scope);
    const mapped = route.dialect.buildImageRequest(model, prompt, images, request.config);
    for (;;) {
      const result = await ctx.pipeline(toPipelineRequest('image', model, mapped.value, scope));
      attempts.push(...result.attempts);
      const parsed = route.dialect.parseImageResponse(result.data);
      const built = buildResponse(parsed, model.fullName, attempts, mapped.warnings);
      const response = await rescueImages(ctx, model, request.media, scope, built);
      if (await validation.accepts(response)) return response;
    }
  } catch (error) {
    throw withCallContext(error, model, attempts, ctx);
  } finally {
    scope.dispose();
  }
}

/** The input images with the URLs the model's type needs inline downloaded (errors name `images[i]`). */
async function inlineImages(
  ctx: ClientContext,
  model: ResolvedModel,
  media: CallMedia | undefined,
  images: MediaPart[],
  scope: CallScope,
): Promise<MediaPart[]> {
  if (images.length === 0 || media === undefined) return images;
  try {
    const [message] = await inlineRemoteMedia(ctx, model, media, [{ role: 'user', content: images }], scope);
    return Array.isArray(message?.content) ? (message.content as MediaPart[]) : images;
  } catch (error) {
    throw renamePath(LLMError.from(error, 'API_REQUEST_FAILED'));
  }
}

const PART_PATH = /^messages\[0\]\.content\[(\d+)\]/;

function renamePath(error: LLMError): LLMError {
  const path = typeof error.details?.path === 'string' ? error.details.path : undefined;
  if (path === undefined || !PART_PATH.test(path)) return error;
  const renamed = path.replace(PART_PATH, 'images[$1]');
  return new LLMError(error.code, error.message.replace(PART_PATH, 'images[$1]'), {
    details: { ...error.details, path: renamed },
    cause: error,
  });
}

/**
 * The Markdown-image rescue of an image answer (seed-spec §4.6 step 8, `rescueMarkdownImages`), with the
 * call's downloader when `fetchRemoteMedia` is on; `message` rebuilt from the new parts.
 */
async function rescueImages(
  ctx: ClientContext,
  model: ResolvedModel,
  media: CallMedia | undefined,
  scope: CallScope,
  response: LLMResponse,
): Promise<LLMResponse> {
  if (response.images.length > 0) return response;
  const options = media !== undefined ? { download: downloaderFor(ctx, media, scope) } : {};
  const rescued = await rescueMarkdownImages(response, options);
  if (rescued === response) return response;
  return { ...rescued, message: assistantMessageOf(rescued, model.fullName) };
}

/** The named model, else the first available image model configured, else the default chat model. */
function resolveImageModel(ctx: ClientContext, name: string | readonly string[] | undefined): ResolvedModel {
  if (name != null) return ctx.models.resolve(name);
  const image = ctx.models.list().find((info) => info.kind === 'image' && info.available);
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
  const validator =
    options.validateResponse != null ? checkValidator(options.validateResponse) : requireImage;
  const media = callMediaFor(ctx, options.fetchRemoteMedia);
  const chatOptions: ChatOptions = { ...baseCallOptions(options), validateResponse: validator };
  if (options.config != null) chatOptions.config = options.config;
  if (options.fetchRemoteMedia !== undefined) chatOptions.fetchRemoteMedia = options.fetchRemoteMedia;
  const scope = scopeFor(ctx.clock, model, options, false);
  return createImage(ctx, model, prompt, {
    images,
    config,
    scope,
    media,
    validator,
    chatCall: () => prepareChat(ctx, chatOptions, false, { media }),
  });
}
