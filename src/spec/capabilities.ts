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

/** A configured model, as `llm.models` reports it. */
export interface ModelInfo {
  /** `"Provider/model"` */
  name: string;
  /** Provider name as configured. */
  provider: string;
  /** Model id sent to the provider. */
  model: string;
  kind: ModelKind;
  capabilities: ModelCapabilities;
  /** The dialect requests to this model use (after `smart` routing). */
  apiType: string;
  /** `ModelDetail.pricing`, when configured. */
  pricing?: ModelPricing;
}
