import type { ModelRegistry } from '../models/model-registry.js';
import type { Locale, ModelInfo } from '../spec/index.js';
import { guard } from './guard.js';

/** `llm.models` */
export interface ModelsApi {
  /** Every configured model (chat, image and embedding), in config order, then the routes (`kind: 'route'`, API.md §14). */
  list(): ModelInfo[];
  /** The embedding models, then the routes of embedding models. */
  listEmbedding(): ModelInfo[];
  /**
   * `"Provider/model"` (case-insensitive) or a route name, or the default model when omitted; `MODEL_NOT_FOUND`
   * otherwise (listing models and routes). An unavailable model is described (`available: false`); calls to it
   * fail.
   */
  resolve(name?: string): ModelInfo;
  /** The current default model (`"Provider/model"` or a route name). */
  getDefault(): string;
  /**
   * Makes `name` (a chat or image model, or a route of them) the default of the very next call
   * (`MODEL_NOT_FOUND` for an unavailable model).
   */
  setDefault(name: string): void;
}

export function createModelsApi(registry: ModelRegistry, locale: Locale): ModelsApi {
  return {
    list: () => registry.list(),
    listEmbedding: () => registry.listEmbedding(),
    resolve: (name) => guard(locale, () => registry.describe(name)),
    getDefault: () => registry.getDefault(),
    setDefault: (name) => guard(locale, () => registry.setDefault(name)),
  };
}
