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
  | CodeExecutionResultPart;

/** Plain text. */
export interface TextPart {
  type: 'text';
  text: string;
  /** Opaque Gemini signature that came with this part; replayed verbatim to the same provider. */
  thoughtSignature?: string;
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
}

/** Reasoning text the provider chose to show (Gemini thought summaries, DeepSeek `reasoning_content`). */
export interface ThoughtPart {
  type: 'thought';
  text: string;
  thoughtSignature?: string;
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

/** The `type` values of media parts. */
export type MediaKind = MediaPart['type'];
