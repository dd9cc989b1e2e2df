import type { JsonSchema } from '../../spec/index.js';

/**
 * Wire shapes of OpenAI chat completions and embeddings, limited to the fields this dialect family
 * writes or reads. Responses are read defensively (every field may be absent or null), so the
 * response shapes here only document what the parsers look at.
 */

export type OpenAIContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' | 'mp3' } }
  | { type: 'file'; file: { file_data?: string; file_id?: string; filename?: string } }
  /** Zhipu GLM-4V and Volcano Ark video input (not OpenAI). */
  | { type: 'video_url'; video_url: { url: string } };

export interface OpenAIWireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Gemini OpenAI-compatible endpoint: the thought signature replayed with the call. */
  extra_content?: { google: { thought_signature: string } };
}

export type OpenAIChatMessage =
  | { role: 'system'; content: string | { type: 'text'; text: string }[] }
  | { role: 'user'; content: string | OpenAIContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: OpenAIWireToolCall[];
      /** DeepSeek thinking mode: the reasoning of the current tool-calling turn, sent back. */
      reasoning_content?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonSchema; strict?: boolean };
}

export type OpenAIToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | {
      type: 'allowed_tools';
      allowed_tools: { mode: 'auto' | 'required'; tools: { type: 'function'; function: { name: string } }[] };
    };

/** A chat completion body (`POST …/chat/completions`); vendor fields travel in the index signature. */
export interface OpenAIChatRequestBody {
  model: string;
  messages: OpenAIChatMessage[];
  tools?: OpenAIChatTool[];
  tool_choice?: OpenAIToolChoice;
  stream?: true;
  stream_options?: { include_usage: true };
  [field: string]: unknown;
}

export interface OpenAIEmbeddingRequestBody {
  model: string;
  input: string[];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
}

/** What the parsers read from `choices[0].message` (non-streaming) or `choices[0].delta` (streaming). */
export interface OpenAIWireMessage {
  content?: string | { type?: string; text?: string }[] | null;
  refusal?: string | null;
  /** DeepSeek, xAI */
  reasoning_content?: string | null;
  /** Groq, OpenRouter */
  reasoning?: string | null;
  tool_calls?: OpenAIWireToolCallIn[] | null;
  /** Deprecated single function call. */
  function_call?: { name?: string; arguments?: string } | null;
  /** OpenRouter image models: `[{ type: 'image_url', image_url: { url: 'data:image/png;base64,…' } }]` */
  images?: { type?: string; image_url?: { url?: string } }[] | null;
  /** Gemini OpenAI-compatible endpoint. */
  extra_content?: { google?: { thought_signature?: string } } | null;
}

export interface OpenAIWireToolCallIn {
  /** Present in stream deltas (and, for DeepSeek, in messages); may start at 1. */
  index?: number;
  /** May be empty (Gemini compat) or missing after the first delta. */
  id?: string | null;
  /** Missing on Mistral. */
  type?: string;
  function?: { name?: string | null; arguments?: string | Record<string, unknown> | null };
  extra_content?: { google?: { thought_signature?: string } } | null;
}
