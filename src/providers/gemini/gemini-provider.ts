import type { ProviderDefinition } from '../../spec/index.js';
import { createGeminiChatDialect } from './gemini-chat-dialect.js';
import { createGeminiEmbeddingDialect } from './gemini-embeddings.js';
import { createGeminiImageDialect } from './gemini-images.js';
import { GEMINI_AUTH } from './gemini-request.js';

/**
 * `gemini`: the Gemini API (`generateContent`, `embedContent`, image models). The key goes in the
 * `x-goog-api-key` header only. Native structured output is `responseMimeType: application/json` plus
 * `responseSchema` (any root, maps stay open).
 */
export const geminiProvider: ProviderDefinition = {
  apiType: 'gemini',
  genAiProviderName: 'gcp.gemini',
  defaultApiBase: 'https://generativelanguage.googleapis.com',
  auth: GEMINI_AUTH,
  chat: ({ settings }) => createGeminiChatDialect({ safetyThreshold: settings.geminiSafetyThreshold }),
  embedding: () => createGeminiEmbeddingDialect(),
  image: ({ settings }) => createGeminiImageDialect({ safetyThreshold: settings.geminiSafetyThreshold }),
  structuredOutput: {
    native: (schema) => ({ output: { responseMimeType: 'application/json', responseSchema: schema } }),
  },
  // Arbitrary http(s) URLs cannot be read by reference (fileData takes Files API and YouTube URIs only).
  mediaUrls: { image: false, audio: false, video: false, file: false },
};
