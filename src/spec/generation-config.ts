import type { JsonSchema, ProviderToolSpec } from './tool.js';

/**
 * Provider-neutral generation settings, in components. Merge them with `mergeGenerationConfig`, build
 * them with `GenConfigBuilder`, or take a preset from `CommonOverrides`. Every field is optional;
 * settings a provider ignores are reported in `LLMResponse.warnings`.
 *
 * Precedence for one call: call `config` > model (`ModelDetail.temperature`/`maxTokens`) > provider.
 */
export interface LLMGenerationConfig {
  core?: CoreConfig;
  reasoning?: ReasoningConfig;
  visual?: VisualConfig;
  output?: OutputConfig;
  safety?: SafetyConfig;
  toolConfig?: ToolConfig;
  /**
   * Provider-side tools to attach (Gemini code execution, Google Search, URL context), as presets such as
   * `CommonOverrides.geminiCodeExecution()` set them. Dialects without them warn and send nothing.
   */
  nativeTools?: ProviderToolSpec[];
  /** Vendor-specific body fields merged verbatim into the request (Gemini: into `generationConfig`). */
  customParams?: Record<string, unknown>;
}

/** Sampling settings. */
export interface CoreConfig {
  /** 0–2. */
  temperature?: number;
  /** Maximum output tokens (OpenAI `max_tokens`/`max_completion_tokens`, Gemini `maxOutputTokens`). */
  maxTokens?: number;
  /** 0–1. */
  topP?: number;
  /** > 0; not sent to OpenAI proper (warning). */
  topK?: number;
  /** −2–2. */
  frequencyPenalty?: number;
  /** −2–2. */
  presencePenalty?: number;
  /** 0–2; only dialects that accept it (DeepSeek, Zhipu, OpenRouter…). */
  repetitionPenalty?: number;
  /** Stop sequences (Gemini `stopSequences`). */
  stop?: string | string[];
  seed?: number;
}

/** Reasoning effort levels; the wire casing is chosen per dialect. */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/** Thinking / reasoning settings, mapped per model family (effort, budget or level). */
export interface ReasoningConfig {
  /** OpenAI o-series / gpt-5 `reasoning_effort`; Gemini 3 `thinkingLevel`. */
  effort?: ReasoningEffort;
  /** Gemini 2.5 thinking budget: −1 dynamic, 0 off, n tokens; a fraction 0<x<1 is a share of 32768. */
  budgetTokens?: number;
  /** Ask the provider to return thought summaries (Gemini `includeThoughts`). */
  showThoughts?: boolean;
}

/** Image output and media input settings. */
export interface VisualConfig {
  /** `1:1`, `16:9`, `9:16`, `4:3`, `3:4`, `3:2`, `2:3`, … or an OpenAI size such as `1024x1024`. */
  aspectRatio?: string;
  /** Output image size: Gemini `1K`/`2K`/`4K` (`STANDARD`→`1K`, `HD`→`2K`), OpenAI `standard`/`hd`. */
  resolution?: string;
  /** Gemini input media resolution: `LOW`, `MEDIUM`, `HIGH`. */
  mediaResolution?: 'LOW' | 'MEDIUM' | 'HIGH';
  /** OpenAI images: `low`/`medium`/`high`/`auto` (gpt-image) or `standard`/`hd` (dall-e-3). */
  quality?: string;
  /** OpenAI gpt-image background: `transparent`/`opaque`/`auto`. */
  background?: string;
  /** dall-e-3 style: `vivid`/`natural`. */
  style?: string;
  /** Number of images to generate. @default 1 */
  count?: number;
}

/** How structured output is obtained. */
export type StructuredOutputStrategy = 'native' | 'tool_call' | 'prompt';

/** Output format settings. */
export interface OutputConfig {
  /** `json` asks for JSON (with `responseSchema`: a schema-constrained answer). An object is sent verbatim as OpenAI `response_format`. */
  responseFormat?: 'text' | 'json' | 'multimodal' | Record<string, unknown>;
  /** Gemini `responseMimeType`. */
  responseMimeType?: string;
  /** JSON Schema of the expected answer. */
  responseSchema?: JsonSchema;
  /** `TEXT`, `IMAGE`, `AUDIO` (Gemini `responseModalities`, OpenAI/OpenRouter `modalities`). */
  responseModalities?: ('TEXT' | 'IMAGE' | 'AUDIO')[];
  structuredOutputStrategy?: StructuredOutputStrategy;
}

/** Gemini safety settings: category → threshold. */
export interface SafetyConfig {
  /** @example { HARM_CATEGORY_HARASSMENT: 'BLOCK_ONLY_HIGH' } */
  safetySettings?: Record<string, string>;
}

/** Function-calling mode. */
export interface ToolConfig {
  /** `AUTO` (model decides), `ANY` (must call a function), `NONE` (no calls). @default 'AUTO' */
  mode?: 'AUTO' | 'ANY' | 'NONE';
  /** With `ANY`: the functions it may call (one name forces that function). */
  allowedFunctionNames?: string[];
}

/** Gemini embedding task types (OpenAI-family providers ignore them with a warning). */
export type EmbeddingTaskType =
  | 'RETRIEVAL_QUERY'
  | 'RETRIEVAL_DOCUMENT'
  | 'SEMANTIC_SIMILARITY'
  | 'CLASSIFICATION'
  | 'CLUSTERING'
  | 'QUESTION_ANSWERING'
  | 'FACT_VERIFICATION'
  | 'CODE_RETRIEVAL_QUERY';

/** Embedding settings. */
export interface LLMEmbeddingConfig {
  taskType?: EmbeddingTaskType;
  /** Output vector size (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  outputDimensionality?: number;
  /** Gemini: title of a `RETRIEVAL_DOCUMENT`. */
  title?: string;
  /** Wire encoding. Unset → the library asks for `base64` (cheaper to decode) and returns numbers either way. */
  encodingFormat?: 'float' | 'base64';
}
