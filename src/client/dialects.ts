import type { Dialect, ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { ChatDialect, EmbeddingDialect, ImageDialect } from '../providers/adapter.js';
import { anthropicProvider } from '../providers/anthropic/anthropic-provider.js';
import { createGeminiChatDialect } from '../providers/gemini/gemini-chat-dialect.js';
import { createGeminiEmbeddingDialect } from '../providers/gemini/gemini-embeddings.js';
import { createGeminiImageDialect } from '../providers/gemini/gemini-images.js';
import { createOpenAIChatDialect } from '../providers/openai/openai-chat-dialect.js';
import type { OpenAIDialectName } from '../providers/openai/openai-dialects.js';
import { createOpenAIEmbeddingDialect } from '../providers/openai/openai-embeddings.js';
import { createOpenAIImageDialect } from '../providers/openai-images/images-dialect.js';
import { createResponsesDialect } from '../providers/openai-responses/responses-dialect.js';

/** How an image is made for a model: a dedicated images endpoint, or a chat answer with image output. */
export type ImageRoute = { kind: 'images'; dialect: ImageDialect } | { kind: 'chat'; dialect: ChatDialect };

/** The wire dialects of a client, built lazily and shared by all calls (they are stateless). */
export interface Dialects {
  chat(model: ResolvedModel): ChatDialect;
  embedding(model: ResolvedModel): EmbeddingDialect;
  image(model: ResolvedModel): ImageRoute;
}

// `nano_banana` relays answer images inside OpenAI-style chat (`modalities`, `message.images`), as
// OpenRouter does.
function openAIFamilyName(dialect: Dialect): OpenAIDialectName | undefined {
  switch (dialect) {
    case 'openai':
    case 'deepseek':
    case 'zhipu':
    case 'ark':
    case 'openrouter':
      return dialect;
    case 'nano_banana':
      return 'openrouter';
    case 'openai_responses':
    case 'openai_image':
    case 'gemini':
    case 'anthropic':
      return undefined;
    default: {
      const unreachable: never = dialect;
      return unreachable;
    }
  }
}

function unsupported(model: ResolvedModel, what: string, hint: string): LLMError {
  return new LLMError('INVALID_PARAMETER', `${model.fullName} (${model.dialect}) cannot ${what}; ${hint}`, {
    provider: model.provider.name,
    model: model.fullName,
  });
}

export function createDialects(geminiSafetyThreshold: string): Dialects {
  const cache = new Map<string, unknown>();
  const memo = <T>(key: string, build: () => T): T => {
    let value = cache.get(key) as T | undefined;
    if (value === undefined) {
      value = build();
      cache.set(key, value);
    }
    return value;
  };

  return {
    chat(model) {
      const family = openAIFamilyName(model.dialect);
      if (family !== undefined) return memo(`chat:${family}`, () => createOpenAIChatDialect(family));
      if (model.dialect === 'gemini') return memo('chat:gemini', createGeminiChatDialect);
      if (model.dialect === 'openai_responses') return memo('chat:responses', createResponsesDialect);
      if (model.dialect === 'anthropic') return memo('chat:anthropic', anthropicProvider.chat);
      throw unsupported(model, 'chat', 'it is an image-generation model: use llm.createImage().');
    },
    embedding(model) {
      const family = openAIFamilyName(model.dialect);
      if (family !== undefined) return memo(`embed:${family}`, () => createOpenAIEmbeddingDialect(family));
      if (model.dialect === 'openai_responses')
        return memo('embed:openai', () => createOpenAIEmbeddingDialect('openai'));
      if (model.dialect === 'gemini') return memo('embed:gemini', createGeminiEmbeddingDialect);
      throw unsupported(
        model,
        'create embeddings',
        'configure an embedding model (e.g. text-embedding-3-small).',
      );
    },
    image(model) {
      if (model.dialect === 'openai_image') {
        return memo(
          'image:openai',
          () => ({ kind: 'images', dialect: createOpenAIImageDialect() }) as ImageRoute,
        );
      }
      if (model.dialect === 'gemini') {
        return memo(
          'image:gemini',
          () =>
            ({
              kind: 'images',
              dialect: createGeminiImageDialect({ safetyThreshold: geminiSafetyThreshold }),
            }) as ImageRoute,
        );
      }
      return { kind: 'chat', dialect: this.chat(model) };
    },
  };
}
