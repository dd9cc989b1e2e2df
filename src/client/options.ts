import type {
  FetchRemoteMediaSetting,
  LLMEmbeddingConfig,
  LLMGenerationConfig,
  MediaPart,
  RunContext,
  ToolChoice,
  ToolInput,
} from '../spec/index.js';
import type { StructuredOptions } from '../structured/structured-types.js';
import type { ToolInvokerOptions } from '../tools/tool-invoker.js';
import type { ResponseValidator } from './validate-response.js';

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

/** The `fetchRemoteMedia` option of the calls that send media (chat, generate, stream, structured, images). */
export interface RemoteMediaCallOption {
  /**
   * Download http(s) media given by URL for providers that need inline data (Gemini; `nano_banana` input
   * images; the Markdown-image rescue of `createImage`): once per call, before the first attempt, within the
   * call's deadline and signal. `false` turns the client's setting off, `true` keeps its options, an object is
   * merged over them. Without it, Gemini gets URL parts as `fileData` references, as before.
   * @default config `fetchRemoteMedia` (false)
   * @example { allowPrivateNetworks: true } // a media server on the LAN
   */
  fetchRemoteMedia?: FetchRemoteMediaSetting;
}

/** Hooks of the automatic tool loop (the same as `ToolInvoker`'s). */
export type ToolHooks = Pick<ToolInvokerOptions, 'onToolStart' | 'onToolEnd'>;

/** Options of `chat`, `generate` and `stream`. */
export interface ChatOptions extends CallOptions, RemoteMediaCallOption {
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
  /**
   * Checks the final answer (after the tool loop; tool rounds are not checked); throw, or reject, to refuse it
   * (the seed's `response_validator`). A refused answer is asked again on the same model with the same
   * messages (tools are not run again) up to config `retry.maxRetries` times within the deadline, then the
   * call fails with `GENERATION_FAILED` (`details.reason`: the last error's message). Refusals never cool a
   * key. On `stream`, each round's events are held until the round ends and a final answer's events go out
   * only once it passed, so a reader never sees text that is taken back (streaming is then per answer, not
   * per token). `requireImage` is a ready-made one.
   * @default none
   * @example validateResponse: (response) => { if (response.text.length > 280) throw new Error('too long for a tweet'); }
   */
  validateResponse?: ResponseValidator;
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
export interface ImageOptions extends CallOptions, RemoteMediaCallOption {
  /** Images to edit / use as references. */
  images?: ImageInput | ImageInput[];
  config?: LLMGenerationConfig | ConfigBuilderLike;
  /**
   * Checks the answer, as on `chat` (refused → asked again, then `GENERATION_FAILED`). Runs after the
   * Markdown-image rescue. Replaces the default; pass `() => {}` to accept text-only answers.
   * @default requireImage (an answer without an image is refused)
   */
  validateResponse?: ResponseValidator;
}

/**
 * Options of `generateStructured` and `streamStructured` (API.md §8) plus the call options. With `tools`, the
 * normal tool loop runs first (automatic execution, `maxToolRounds`, `runContext`, `toolHooks`) and the final
 * answer is the structured one: by default the structured answer is one more tool (`tool_call` strategy, the
 * model must call some tool each round and ends by calling `return_structured_response`); with
 * `strategy: 'native'` or `'prompt'` every round carries the schema settings and the final text answer is
 * validated (Gemini models before Gemini 3 reject function calling together with a JSON response schema, so
 * keep the default there). `toolChoice` applies to the first request; `'none'` sends no caller tools. A
 * validation re-ask keeps the tool rounds in the conversation and does not run them again.
 */
export interface StructuredCallOptions<T = unknown>
  extends CallOptions,
    RemoteMediaCallOption,
    Omit<StructuredOptions<T>, 'signal' | 'config' | 'toolsFirst'>,
    Pick<ChatOptions, 'tools' | 'toolChoice' | 'maxToolRounds' | 'runContext' | 'toolHooks'> {
  config?: LLMGenerationConfig | ConfigBuilderLike;
}
