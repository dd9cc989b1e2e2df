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
import { checkImagesBody } from '../openai-images/images-response.js';
import { mapNanoBananaConfig } from './nano-banana-config.js';
import type { NanoBananaRequestBody } from './nano-banana-wire.js';

const DATA_URL_PREFIX = /^data:[^,]*,/;

/**
 * The request of the `nano_banana` images protocol (seed-spec §3.9): `POST {apiBase}/v1/images/generations`
 * for generation and edits alike, bearer auth, a JSON body `{ model, prompt, response_format: 'b64_json' }`
 * plus the mapped config (`size`, `aspect_ratio`, `image_size`), `customParams` verbatim, and the input
 * images as plain base64 in `image: [...]`. Input images must carry their bytes: URL-only images are
 * downloaded beforehand by the client when `fetchRemoteMedia` is on (the library never downloads here).
 *
 * @throws LLMError `INVALID_PARAMETER` for no prompt and no
 *   images, a non-image input, or an input image without data.
 */
export function buildNanoBananaRequest(
  model: ProviderModel,
  prompt: string,
  inputImages: MediaPart[],
  config: LLMGenerationConfig,
): Mapped<ProviderRequest> {
  // The definition has no default base, so config validation already required the relay's URL.
  const base = model.provider.apiBase;
  if (prompt.trim() === '' && inputImages.length === 0) {
    throw new LLMError('INVALID_PARAMETER', 'image generation requires a prompt (or input images)', {
      model: model.fullName,
    });
  }
  const mapped = mapNanoBananaConfig(config);
  const body: NanoBananaRequestBody = {
    model: model.id,
    prompt,
    response_format: 'b64_json',
    ...mapped.value,
    ...config.customParams,
  };
  if (inputImages.length > 0) body.image = inputImages.map((image, index) => base64Of(image, index, model));
  const context = modelErrorContext(model);
  return {
    value: {
      method: 'POST',
      url: buildProviderUrl(base, '/v1', '/images/generations'),
      headers: { 'content-type': 'application/json', ...model.provider.headers },
      body,
      auth: { scheme: 'bearer' },
      stream: false,
      checkBody: (data) => checkImagesBody(data, context),
    },
    warnings: mapped.warnings,
  };
}

function base64Of(image: MediaPart, index: number, model: ProviderModel): string {
  const isImage = image.type === 'image' || image.mimeType?.toLowerCase().startsWith('image/') === true;
  if (!isImage) {
    throw new LLMError('INVALID_PARAMETER', `images[${index}] is not an image (a ${image.type} part)`, {
      model: model.fullName,
      details: { path: `images[${index}]` },
    });
  }
  const data = image.data ?? (image.url?.startsWith('data:') === true ? image.url : undefined);
  if (data == null || data === '') {
    throw new LLMError(
      'INVALID_PARAMETER',
      `images[${index}] is a URL without data: ${model.fullName} (nano_banana) needs the image bytes; enable fetchRemoteMedia to download it, or pass the data`,
      { model: model.fullName, details: { path: `images[${index}]` } },
    );
  }
  return data.replace(DATA_URL_PREFIX, '');
}
