import type { ImageDialect } from '../../spec/index.js';
import { buildImagesRequest } from './images-request.js';
import { parseImagesResponse } from './images-response.js';

/** The OpenAI images dialect (`apiType: openai_image`): generations and edits. */
export function createOpenAIImageDialect(): ImageDialect {
  return {
    buildImageRequest: buildImagesRequest,
    parseImageResponse: (data) => parseImagesResponse(data),
  };
}
