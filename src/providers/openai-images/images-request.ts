import { modelErrorContext } from '../../errors/invalid-response.js';
import { LLMError } from '../../errors/llm-error.js';
import { buildProviderUrl } from '../../http/provider-url.js';
import type {
  LLMGenerationConfig,
  Mapped,
  MediaPart,
  ProviderModel,
  ProviderRequest,
} from '../../spec/index.js';
import { sniffMimeType } from '../../util/mime.js';
import { type ImageFamily, imageFamilyOf, mapImageConfig } from './images-config.js';
import { checkImagesBody, decodeBase64 } from './images-response.js';

const REMOTE_URL = /^(?:https?:|data:)/i;
const OPENAI_FILE_ID = /^file-[A-Za-z0-9_-]+$/;
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * An image request: `POST /v1/images/generations` (JSON) without input images; with input images
 * `POST /v1/images/edits` as multipart `FormData` (one `image` file, or `image[]` files), or, for
 * gpt-image models given image URLs, the JSON edit body (`images: [{ image_url }]`). URLs are never
 * fetched by the library: other models need the image bytes.
 */
export function buildImagesRequest(
  model: ProviderModel,
  prompt: string,
  inputImages: MediaPart[],
  config: LLMGenerationConfig,
): Mapped<ProviderRequest> {
  if (prompt.trim() === '')
    throw new LLMError('INVALID_PARAMETER', 'prompt is required for image generation');
  const family = imageFamilyOf(model.id);
  const mapped = mapImageConfig(config, family);
  const warnings = [...mapped.warnings];
  const fields: Record<string, unknown> = {
    model: model.id,
    prompt,
    ...mapped.value,
    ...config.customParams,
  };
  const base = model.provider.apiBase;
  const context = modelErrorContext(model);
  const request = (path: string, body: unknown, json: boolean): ProviderRequest => ({
    method: 'POST',
    url: buildProviderUrl(base, '/v1', path),
    headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...model.provider.headers },
    body,
    auth: { scheme: 'bearer' },
    stream: false,
    checkBody: (data) => checkImagesBody(data, context),
  });

  if (inputImages.length === 0) return { value: request('/images/generations', fields, true), warnings };

  checkEditable(model.id, family, inputImages);
  if (inputImages.some((image) => image.data == null || image.data === '')) {
    if (family !== 'gpt-image') {
      const index = inputImages.findIndex((image) => image.data == null || image.data === '');
      throw new LLMError(
        'INVALID_PARAMETER',
        `images[${index}] is a URL without data: ${model.id} edits need the image bytes (the library never downloads URLs); pass the image data instead`,
      );
    }
    const { response_format: _drop, style: _style, ...jsonFields } = fields;
    const body = { ...jsonFields, images: inputImages.map(imageRef) };
    return { value: request('/images/edits', body, true), warnings };
  }
  return {
    value: request('/images/edits', editForm(fields, inputImages, family, warnings), false),
    warnings,
  };
}

function checkEditable(modelId: string, family: ImageFamily, images: MediaPart[]): void {
  if (family === 'dall-e-3') {
    throw new LLMError(
      'INVALID_PARAMETER',
      `${modelId} cannot edit images (image edits serve gpt-image and dall-e-2 models); remove the input images or change the model`,
    );
  }
  images.forEach((image, index) => {
    const isImage = image.type === 'image' || image.mimeType?.startsWith('image/') === true;
    if (!isImage)
      throw new LLMError(
        'INVALID_PARAMETER',
        `images[${index}] is not an image (a ${image.type} part); only images can be edited`,
      );
    if ((image.data == null || image.data === '') && (image.url == null || image.url === '')) {
      throw new LLMError('INVALID_PARAMETER', `images[${index}] has neither data nor url`);
    }
  });
  if (family === 'dall-e-2' && images.length > 1) {
    throw new LLMError('INVALID_PARAMETER', `${modelId} edits take one image; got ${images.length}`);
  }
}

/** `ImageRefParam` of the JSON edit body. */
function imageRef(image: MediaPart, index: number): { image_url: string } | { file_id: string } {
  if (image.data != null && image.data !== '') return { image_url: dataUrl(image) };
  const url = image.url ?? '';
  if (REMOTE_URL.test(url)) return { image_url: url };
  if (OPENAI_FILE_ID.test(url)) return { file_id: url };
  throw new LLMError(
    'INVALID_PARAMETER',
    `images[${index}].url must be http(s), a data URL or an OpenAI file id`,
  );
}

function editForm(
  fields: Record<string, unknown>,
  images: MediaPart[],
  family: ImageFamily,
  warnings: string[],
): FormData {
  const form = new FormData();
  const key = images.length === 1 ? 'image' : 'image[]';
  images.forEach((image, index) => {
    const bytes = decodeBase64(image.data!);
    const mime = image.mimeType ?? sniffMimeType(bytes.subarray(0, 64)) ?? 'image/png';
    if (family === 'dall-e-2' && mime !== 'image/png')
      warnings.push('dall-e-2 edits expect a square PNG image');
    const name = image.name ?? `image-${index + 1}.${EXTENSIONS[mime] ?? 'png'}`;
    form.append(key, new Blob([bytes], { type: mime }), name);
  });
  for (const [name, value] of Object.entries(fields)) {
    if (value == null || name === 'style') continue;
    form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form;
}

function dataUrl(image: MediaPart): string {
  const data = image.data!;
  if (data.startsWith('data:')) return data;
  const mime = image.mimeType ?? sniffMimeType(decodeBase64(data.slice(0, 64))) ?? 'image/png';
  return `data:${mime};base64,${data}`;
}
