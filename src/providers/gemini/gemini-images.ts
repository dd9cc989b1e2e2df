import { LLMError } from '../../errors/llm-error.js';
import type {
  ImageDialect,
  LLMContentPart,
  LLMGenerationConfig,
  Mapped,
  MediaPart,
  ProviderModel,
  ProviderRequest,
} from '../../spec/index.js';
import { mapGeminiConfig } from './gemini-config.js';
import { convertGeminiMessages } from './gemini-messages.js';
import { GEMINI_AUTH, geminiHeaders, geminiUrl } from './gemini-request.js';
import { checkGeminiBody, parseGeminiResponse } from './gemini-response.js';
import type { GeminiGenerateContentRequest } from './gemini-wire.js';

/** Safety threshold of image requests, which carry no client config (the library default). */
const IMAGE_SAFETY_THRESHOLD = 'BLOCK_NONE';

/**
 * Image generation and editing with Gemini image models ("nano banana"): a `generateContent` call with
 * `responseModalities: ['TEXT', 'IMAGE']` (unless the config says otherwise), the prompt plus the input
 * images (as `inlineData`/`fileData` parts, for edits), and `imageConfig` from `visual`. Generated
 * images come back in `images` and, with their thought signatures, in `contentParts`.
 */
export function createGeminiImageDialect(options: { safetyThreshold?: string } = {}): ImageDialect {
  const threshold = options.safetyThreshold ?? IMAGE_SAFETY_THRESHOLD;
  return {
    buildImageRequest(
      model: ProviderModel,
      prompt: string,
      inputImages: MediaPart[],
      config: LLMGenerationConfig,
    ): Mapped<ProviderRequest> {
      if (prompt.trim() === '' && inputImages.length === 0) {
        throw new LLMError('INVALID_PARAMETER', 'prompt: image generation needs a prompt or input images');
      }
      const withModalities: LLMGenerationConfig = {
        ...config,
        output: {
          ...config.output,
          responseModalities: config.output?.responseModalities ?? ['TEXT', 'IMAGE'],
        },
      };
      const mapped = mapGeminiConfig(withModalities, model, threshold);
      const content: LLMContentPart[] =
        prompt !== '' ? [{ type: 'text', text: prompt }, ...inputImages] : inputImages;
      const messages = convertGeminiMessages({ messages: [{ role: 'user', content }], model });
      const body: GeminiGenerateContentRequest = {
        contents: messages.value.contents,
        safetySettings: mapped.value.safetySettings,
      };
      if (mapped.value.generationConfig != null) body.generationConfig = mapped.value.generationConfig;
      const context = { model };
      return {
        value: {
          method: 'POST',
          url: geminiUrl(model, 'generateContent').url,
          headers: geminiHeaders(model),
          body,
          auth: GEMINI_AUTH,
          stream: false,
          checkBody: (data) => checkGeminiBody(data, context),
        },
        warnings: [...mapped.warnings, ...messages.warnings],
      };
    },
    parseImageResponse: (data) => parseGeminiResponse(data, {}),
  };
}
