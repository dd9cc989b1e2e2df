/**
 * One piece of message content. Parts are discriminated by `type`.
 *
 * Provider reasoning artefacts (`thoughtSignature`) stay on the part they arrived with and are sent
 * back on the same part; they are dropped only when a message's `model` names a different provider.
 */
export type LLMContentPart =
  | TextPart
  | MediaPart
  | ThoughtPart
  | ExecutableCodePart
  | CodeExecutionResultPart
  | ProviderDataPart;

/**
 * A prompt-caching breakpoint: the provider caches the prompt up to and including this part (or tool).
 * Sent as Anthropic `cache_control`; other providers ignore it with a warning.
 *
 * @example { type: 'text', text: longInstructions, cacheControl: { type: 'ephemeral', ttl: '1h' } }
 */
export interface CacheControl {
  type: 'ephemeral';
  /** How long the cache entry lives. @default '5m' (the provider's default) */
  ttl?: '5m' | '1h';
}

/** Plain text. */
export interface TextPart {
  type: 'text';
  text: string;
  /** Opaque Gemini signature that came with this part; replayed verbatim to the same provider. */
  thoughtSignature?: string;
  /** Prompt-caching breakpoint (Anthropic); other providers ignore it with a warning. */
  cacheControl?: CacheControl;
  /**
   * Sources the provider cited for this text, as it sent them (Anthropic `citations`: `char_location`,
   * `page_location`, `content_block_location`, `web_search_result_location`, … with `cited_text`). Replayed
   * to the provider that produced them, dropped for others.
   */
  citations?: Record<string, unknown>[];
}

/**
 * Media by value (`data`, base64 without a `data:` prefix) or by reference (`url`: http(s), `gs://`, or a
 * provider file URI). One of `data` or `url` is required.
 *
 * @example { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo…' }
 * @example { type: 'file', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc', mimeType: 'application/pdf' }
 */
export interface MediaPart {
  type: 'image' | 'audio' | 'video' | 'file';
  /** MIME type; detected from the bytes when built with `createMultimodalMessage`. */
  mimeType?: string;
  /** Base64 payload (no `data:` prefix). */
  data?: string;
  /** Remote reference, passed by reference where the provider accepts it (never fetched silently). */
  url?: string;
  /** File name shown to the model where the provider supports it. */
  name?: string;
  /** Gemini signature attached to a generated image part (image models that think). */
  thoughtSignature?: string;
  /** Prompt-caching breakpoint (Anthropic); other providers ignore it with a warning. */
  cacheControl?: CacheControl;
}

/**
 * Reasoning text the provider chose to show (Gemini thought summaries, DeepSeek `reasoning_content`,
 * Anthropic `thinking` blocks with their `signature` as `thoughtSignature`). Anthropic `redacted_thinking`
 * comes as a thought with `text: ''` and the encrypted block in `redactedData`.
 */
export interface ThoughtPart {
  type: 'thought';
  text: string;
  thoughtSignature?: string;
  /** Opaque encrypted reasoning (Anthropic `redacted_thinking.data`); replayed only to the provider that produced it. */
  redactedData?: string;
}

/** Code the provider's sandbox ran (Gemini code execution). */
export interface ExecutableCodePart {
  type: 'executable_code';
  /** e.g. `PYTHON` */
  language: string;
  code: string;
  /** Provider id linking the code to its result, when given. */
  id?: string;
  thoughtSignature?: string;
}

/** Output of the provider's sandbox run. */
export interface CodeExecutionResultPart {
  type: 'code_execution_result';
  /** e.g. `OUTCOME_OK`, `OUTCOME_FAILED`, `OUTCOME_DEADLINE_EXCEEDED` */
  outcome: string;
  output: string;
  id?: string;
  thoughtSignature?: string;
}

/**
 * A provider block with no neutral equivalent, kept verbatim so a history can replay it (Anthropic server
 * tools: `server_tool_use`, `web_search_tool_result`, `*_code_execution_tool_result`, …). Sent back
 * unchanged to the provider that produced it (same `apiType`, and a message `model` naming the same
 * provider); every other provider drops it.
 *
 * @example { type: 'provider_data', apiType: 'anthropic', data: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'ruby' } } }
 */
export interface ProviderDataPart {
  type: 'provider_data';
  /** The wire dialect the block belongs to, e.g. `anthropic`. */
  apiType: string;
  /** The block exactly as the provider sent it. */
  data: Record<string, unknown>;
  /** Never set: the block's own artefacts travel inside `data` (declared so every part can be asked). */
  thoughtSignature?: never;
}

/** The `type` values of media parts. */
export type MediaKind = MediaPart['type'];
