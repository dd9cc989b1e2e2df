import type {
  LLMEmbeddingConfig,
  LLMGenerationConfig,
  MediaPart,
  RunContext,
  ToolChoice,
  ToolInput,
} from '../spec/index.js';
import type { StructuredOptions } from '../structured/structured-types.js';
import type { ToolInvokerOptions } from '../tools/tool-invoker.js';

/** Anything with a `build()` returning a config (a `GenConfigBuilder`). */
export interface ConfigBuilderLike {
  build(): LLMGenerationConfig;
}

/** Options every call takes. */
export interface CallOptions {
  /**
   * `"Provider/model"`, a route name (API.md §14), or a list of `"Provider/model"` tried in order (an ad-hoc
   * `fallback` route with the default `fallbackOn`). @default the client's default model (or route)
   * @example 'OpenAI/gpt-4o-mini' · 'smart' · ['OpenAI/gpt-4o', 'Gemini/gemini-2.5-flash']
   */
  model?: string | string[];
  /** Aborts the whole call (retries, waits and stream reads included) with `ABORTED`. */
  signal?: AbortSignal;
  /** Whole-call deadline for this call. @default provider `timeoutMs`, else the client's (180000) */
  timeoutMs?: number;
}

/** Hooks of the automatic tool loop (the same as `ToolInvoker`'s). */
export type ToolHooks = Pick<ToolInvokerOptions, 'onToolStart' | 'onToolEnd'>;

/** Options of `chat`, `generate` and `stream`. */
export interface ChatOptions extends CallOptions {
  /** System prompt (chat/stream with a single turn). */
  instruction?: string;
  /** Function tools (`functionTool`, plain JSON-Schema tools), native tools, or names resolved through tool providers. */
  tools?: ToolInput[] | Record<string, ToolInput>;
  toolChoice?: ToolChoice;
  /** Generation settings (merged over the model's defaults). */
  config?: LLMGenerationConfig | ConfigBuilderLike;
  /** Bound of the automatic tool loop; `0` returns tool calls without running them. @default config `maxToolRounds` (5) */
  maxToolRounds?: number;
  /** Context injected into tools. */
  runContext?: Partial<RunContext>;
  /** Observe or rewrite tool calls of the automatic loop. */
  toolHooks?: ToolHooks;
}

/** Options of `embed`. */
export interface EmbedOptions extends CallOptions {
  config?: LLMEmbeddingConfig;
}

/** Options of `embedQuery` / `embedDocuments`. */
export interface EmbedShortcutOptions extends CallOptions {
  dimensions?: number;
  /** `embedDocuments` only: title of the documents (Gemini). */
  title?: string;
}

/** Input images for `createImage`: parts, bytes, or data URLs / http(s) URLs. */
export type ImageInput = MediaPart | Uint8Array | string;

/** Options of `createImage`. */
export interface ImageOptions extends CallOptions {
  /** Images to edit / use as references. */
  images?: ImageInput | ImageInput[];
  config?: LLMGenerationConfig | ConfigBuilderLike;
}

/** Options of `generateStructured` and `streamStructured` (API.md §8) plus the call options. */
export interface StructuredCallOptions<T = unknown>
  extends CallOptions,
    Omit<StructuredOptions<T>, 'signal' | 'config'> {
  config?: LLMGenerationConfig | ConfigBuilderLike;
}
