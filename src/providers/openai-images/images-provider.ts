import type { ProviderDefinition } from '../../spec/index.js';
import { createOpenAIImageDialect } from './images-dialect.js';

/** `openai_image`: OpenAI `/v1/images/generations` and `/v1/images/edits`; every model is an image model. */
export const imagesProvider: ProviderDefinition = {
  apiType: 'openai_image',
  genAiProviderName: 'openai',
  defaultApiBase: 'https://api.openai.com',
  auth: { scheme: 'bearer' },
  imageOnly: true,
  // An unknown model behind this type still makes images (and calls no tools).
  capabilities: (_modelId, found) =>
    found.outputModalities.includes('image')
      ? found
      : { ...found, outputModalities: ['image'], toolCalling: false },
  image: () => createOpenAIImageDialect(),
};
