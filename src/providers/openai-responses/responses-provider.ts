import type { ProviderDefinition } from '../../spec/index.js';
import { createOpenAIEmbeddingDialect } from '../openai/openai-embeddings.js';
import { openAINativeOutput } from '../openai/openai-structured-output.js';
import { createResponsesDialect } from './responses-dialect.js';

/** `openai_responses`: OpenAI `POST /v1/responses` (embeddings through `/v1/embeddings`). */
export const responsesProvider: ProviderDefinition = {
  apiType: 'openai_responses',
  genAiProviderName: 'openai',
  defaultApiBase: 'https://api.openai.com',
  auth: { scheme: 'bearer' },
  chat: () => createResponsesDialect(),
  embedding: () => createOpenAIEmbeddingDialect('openai'),
  structuredOutput: { native: openAINativeOutput },
};
