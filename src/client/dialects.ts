import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type {
  ChatDialect,
  EmbeddingDialect,
  ImageDialect,
  ProviderDefinition,
  ProviderSettings,
} from '../spec/index.js';

/** How an image is made for a model: a dedicated images endpoint, or a chat answer with image output. */
export type ImageRoute = { kind: 'images'; dialect: ImageDialect } | { kind: 'chat'; dialect: ChatDialect };

/** The wire dialects of a client, built from the models' definitions on first use and shared by all calls. */
export interface Dialects {
  chat(model: ResolvedModel): ChatDialect;
  embedding(model: ResolvedModel): EmbeddingDialect;
  image(model: ResolvedModel): ImageRoute;
}

/** The dialects of one definition, built lazily (each factory runs at most once per client). */
interface DialectSlot {
  chat?: ChatDialect;
  embedding?: EmbeddingDialect;
  image?: ImageRoute;
}

const CHAT_METHODS = ['buildChatRequest', 'parseChatResponse', 'createStreamParser'];
const EMBED_METHODS = ['buildEmbeddingRequest', 'parseEmbeddingResponse'];
const IMAGE_METHODS = ['buildImageRequest', 'parseImageResponse'];

function unsupported(model: ResolvedModel, what: string, hint: string): LLMError {
  return new LLMError('INVALID_PARAMETER', `${model.fullName} (${model.apiType}) cannot ${what}; ${hint}`, {
    provider: model.provider.name,
    model: model.fullName,
  });
}

/** A factory's result, checked once: a definition is user code. */
function built<T>(value: T, definition: ProviderDefinition, factory: string, methods: readonly string[]): T {
  const missing = methods.filter(
    (name) => typeof (value as Record<string, unknown> | null | undefined)?.[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `apiType ${definition.apiType}: ${factory}() returned no dialect (missing ${missing.join(', ')})`,
    );
  }
  return value;
}

/**
 * The dialects of a client. Per call this is one `Map` get and a property read: factories run once per
 * definition, with the client's settings.
 */
export function createDialects(settings: ProviderSettings): Dialects {
  const slots = new Map<ProviderDefinition, DialectSlot>();
  const slotOf = (definition: ProviderDefinition): DialectSlot => {
    let slot = slots.get(definition);
    if (slot === undefined) {
      slot = {};
      slots.set(definition, slot);
    }
    return slot;
  };
  const setup = (definition: ProviderDefinition) => ({ apiType: definition.apiType, settings });

  const chat = (model: ResolvedModel): ChatDialect => {
    const definition = model.definition;
    const slot = slotOf(definition);
    if (slot.chat !== undefined) return slot.chat;
    if (definition.chat == null) {
      throw unsupported(
        model,
        'chat',
        definition.imageOnly === true
          ? 'it is an image-generation model: use llm.createImage().'
          : `apiType ${model.apiType} has no chat dialect.`,
      );
    }
    slot.chat = built(definition.chat(setup(definition)), definition, 'chat', CHAT_METHODS);
    return slot.chat;
  };

  return {
    chat,
    embedding(model) {
      const definition = model.definition;
      const slot = slotOf(definition);
      if (slot.embedding !== undefined) return slot.embedding;
      if (definition.embedding == null) {
        throw unsupported(
          model,
          'create embeddings',
          'configure an embedding model (e.g. text-embedding-3-small).',
        );
      }
      slot.embedding = built(definition.embedding(setup(definition)), definition, 'embedding', EMBED_METHODS);
      return slot.embedding;
    },
    image(model) {
      const definition = model.definition;
      const slot = slotOf(definition);
      if (slot.image !== undefined) return slot.image;
      slot.image =
        definition.image != null
          ? {
              kind: 'images',
              dialect: built(definition.image(setup(definition)), definition, 'image', IMAGE_METHODS),
            }
          : { kind: 'chat', dialect: chat(model) };
      return slot.image;
    },
  };
}
