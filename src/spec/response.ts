import type { AttemptRecord } from './attempt.js';
import type { LLMContentPart } from './content-part.js';
import type { FinishReason } from './finish-reason.js';
import type { LLMMessage, LLMToolCall } from './message.js';
import type { ToolError } from './tool.js';
import type { LLMCost, LLMUsage } from './usage.js';

/** An image the model produced. */
export interface GeneratedImage {
  /** Sniffed from the bytes when the provider does not say. */
  mimeType: string;
  /** Image bytes; empty when the provider returned only a `url`. */
  data: Uint8Array;
  /** Provider URL, when the provider returned one (OpenAI `url` responses). */
  url?: string;
  /** OpenAI's rewritten prompt for this image, when given. */
  revisedPrompt?: string;
}

/** Web grounding of an answer (Gemini Google Search / URL context). */
export interface Grounding {
  /** Search queries the provider ran. */
  queries: string[];
  /** Sources the answer cites, deduplicated by `uri`. */
  sources: { title?: string; uri: string }[];
}

/** One tool call the automatic tool loop ran. */
export interface ToolResultRecord {
  call: LLMToolCall;
  /** What the tool returned (or the structured error sent to the model). */
  output: unknown;
  error?: ToolError;
}

/** The result of `chat`, `generate`, `code`, `search`, `createImage` and of a finished `stream`. */
export interface LLMResponse {
  /** All text parts joined, thoughts excluded. */
  text: string;
  /** Everything the model returned, in order. */
  contentParts: LLMContentPart[];
  /** Unexecuted tool calls (after the automatic tool loop, if any ran). */
  toolCalls: LLMToolCall[];
  finishReason: FinishReason;
  /** The provider's own finish reason (`MAX_TOKENS`, `length`, `SAFETY`, …). */
  rawFinishReason?: string;
  /**
   * Tokens of every model request of the call, summed: tool-loop rounds, structured-output and validation
   * re-asks included. Absent when no request reported usage.
   */
  usage?: LLMUsage;
  /** What the call cost (`usage` priced by the answering model's `pricing`); absent without pricing or usage. */
  cost?: LLMCost;
  /** Reasoning text, when the provider returns it. */
  thoughtText?: string;
  images: GeneratedImage[];
  grounding?: Grounding;
  /** `"Provider/model"` that answered. */
  model: string;
  /** Every HTTP attempt of the call (all tool-loop rounds included). */
  attempts: AttemptRecord[];
  /** Tools the automatic loop ran, in order. */
  toolResults?: ToolResultRecord[];
  /** Settings a provider ignored, tools it cannot run, and similar notes. */
  warnings: string[];
  /** The assistant turn, ready to append to a history. */
  message: LLMMessage;
}
