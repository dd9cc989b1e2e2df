import type { RouteStrategy } from './config.js';
import type { ModelPricing } from './usage.js';

/** Content modalities a model reads or writes. */
export type Modality = 'text' | 'image' | 'audio' | 'video' | 'embedding';

/** How a model family is told to think. */
export type ReasoningMode = 'none' | 'budget' | 'level' | 'effort';

/**
 * What a model can do. Taken from the built-in registry by model family and overridable per model
 * in config (`ModelDetail.capabilities`).
 */
export interface ModelCapabilities {
  inputModalities: Modality[];
  outputModalities: Modality[];
  /** Function calling. */
  toolCalling: boolean;
  /** An embedding model (`llm.embed`). */
  embedding: boolean;
  /** `budget` (Gemini 2.5 thinkingBudget), `level` (Gemini 3 thinkingLevel), `effort` (OpenAI reasoning_effort, DeepSeek R1). */
  reasoningMode: ReasoningMode;
  /** Whether reasoning text can be returned (`visible`), is hidden (`hidden`), or absent (`none`). */
  reasoningVisibility: 'visible' | 'hidden' | 'none';
  /** Native JSON-schema constrained output (OpenAI `json_schema`, Gemini `responseJsonSchema`). */
  jsonSchema: boolean;
  /** Provider-side tools (Gemini code execution, Google Search, URL context). */
  nativeTools: boolean;
  /** Function calls must be replayed with their thought signatures (Gemini 3). */
  requiresThoughtSignatures: boolean;
}

/** What kind of calls a configured model serves. */
export type ModelKind = 'chat' | 'embedding' | 'image';

/**
 * A configured model or route, as `llm.models` reports it.
 *
 * @example { name: 'smart', provider: '', model: 'smart', kind: 'route', apiType: '', strategy: 'fallback',
 *   targets: ['OpenAI/gpt-4o', 'Gemini/gemini-2.5-flash'], targetKind: 'chat', capabilities: { … } }
 */
export interface ModelInfo {
  /** `"Provider/model"`; a route's name for a route. */
  name: string;
  /** Provider name as configured; `''` for a route (its targets may span providers). */
  provider: string;
  /** Model id sent to the provider; a route's name for a route. */
  model: string;
  /** `'route'` for a route (API.md §14); `targetKind` says what its targets are. */
  kind: ModelKind | 'route';
  /**
   * What the model can do. For a route, what at least one target can do (modalities and flags joined over its
   * targets: a call needing more skips the targets that cannot serve it); `reasoningMode` and
   * `reasoningVisibility` are its first target's.
   */
  capabilities: ModelCapabilities;
  /** The dialect requests to this model use (after `smart` routing); `''` for a route. */
  apiType: string;
  /** `false` for a model configured `available: false` (seed `is_available: false`): calls to it fail. */
  available: boolean;
  /** The configured reason, for an unavailable model that has one. */
  unavailableReason?: string;
  /** Context window in tokens, when configured (`ModelDetail.contextWindow`). Absent for routes. */
  contextWindow?: number;
  /** Routes only: the targets, `"Provider/model"`, in configured order. */
  targets?: string[];
  /** Routes only: how targets are ordered per call. */
  strategy?: RouteStrategy;
  /** Routes only: the kind of every target (`chat`, `embedding` or `image`). */
  targetKind?: ModelKind;
  /** `ModelDetail.pricing`, when configured. */
  pricing?: ModelPricing;
}
