import {
  anthropicWireKit,
  type ConformanceTarget,
  geminiWireKit,
  nanoBananaWireKit,
  openaiChatWireKit,
  openaiImagesWireKit,
  openaiResponsesWireKit,
  openrouterImagesWireKit,
} from '../../testing/index.js';

// The built-in providers as conformance targets (src/providers/conformance/*.test.ts run the suite on each).

export const openaiChatTarget: ConformanceTarget = {
  name: 'OpenAI chat completions (openai)',
  apiType: 'openai',
  wire: openaiChatWireKit,
  models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
  structuredStrategy: 'native',
};

export const openaiResponsesTarget: ConformanceTarget = {
  name: 'OpenAI Responses (openai_responses)',
  apiType: 'openai_responses',
  wire: openaiResponsesWireKit,
  models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' },
  structuredStrategy: 'native',
};

export const geminiTarget: ConformanceTarget = {
  name: 'Gemini (gemini)',
  apiType: 'gemini',
  wire: geminiWireKit,
  models: { chat: 'gemini-2.5-flash', embedding: 'gemini-embedding-001', image: 'gemini-2.5-flash-image' },
  structuredStrategy: 'native',
};

export const anthropicTarget: ConformanceTarget = {
  name: 'Anthropic Messages (anthropic)',
  apiType: 'anthropic',
  wire: anthropicWireKit,
  models: { chat: 'claude-haiku-4-5' },
  structuredStrategy: 'native',
};

export const openaiImagesTarget: ConformanceTarget = {
  name: 'OpenAI images (openai_image)',
  apiType: 'openai_image',
  wire: openaiImagesWireKit,
  models: { image: 'gpt-image-1' },
};

export const nanoBananaTarget: ConformanceTarget = {
  name: 'Image relays (nano_banana images protocol)',
  apiType: 'nano_banana',
  wire: nanoBananaWireKit,
  models: { image: 'gemini-2.5-flash-image-preview' },
};

export const openrouterImagesTarget: ConformanceTarget = {
  name: 'OpenRouter image models (openrouter, images in chat)',
  apiType: 'openrouter',
  wire: openrouterImagesWireKit,
  models: { image: 'google/gemini-2.5-flash-image-preview' },
};

/** The other chat-completions dialects: the same wire kit, their own paths, headers and structured strategy. */
export const openaiFamilyTargets: ConformanceTarget[] = [
  {
    name: 'DeepSeek (deepseek)',
    apiType: 'deepseek',
    wire: openaiChatWireKit,
    models: { chat: 'deepseek-chat' },
    structuredStrategy: 'prompt',
  },
  {
    name: 'OpenRouter (openrouter)',
    apiType: 'openrouter',
    wire: openaiChatWireKit,
    models: { chat: 'openai/gpt-4o-mini' },
    structuredStrategy: 'native',
  },
  {
    name: 'Zhipu (zhipu)',
    apiType: 'zhipu',
    wire: openaiChatWireKit,
    models: { chat: 'glm-4-flash' },
    structuredStrategy: 'prompt',
  },
  {
    name: 'Ark (ark)',
    apiType: 'ark',
    wire: openaiChatWireKit,
    models: { chat: 'doubao-seed-1-6' },
    structuredStrategy: 'prompt',
  },
];
