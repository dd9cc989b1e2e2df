// Anthropic Messages API wire types (`POST /v1/messages`), only the fields this dialect builds or reads.
// Request shapes are checked against `@anthropic-ai/sdk`'s `MessageCreateParams` in the tests.
// https://docs.anthropic.com/en/api/messages

/** `cache_control` of a block or tool. */
export interface AnthropicCacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: AnthropicCacheControl;
}

/** A text block of an assistant turn with the citations it was answered with, replayed as received. */
export interface AnthropicCitedTextBlock extends AnthropicTextBlock {
  citations: Record<string, unknown>[];
}

/** Image types the API takes inline. */
export type AnthropicImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface AnthropicImageBlock {
  type: 'image';
  source:
    | { type: 'base64'; media_type: AnthropicImageMediaType; data: string }
    | { type: 'url'; url: string };
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicDocumentBlock {
  type: 'document';
  source:
    | { type: 'base64'; media_type: 'application/pdf'; data: string }
    | { type: 'text'; media_type: 'text/plain'; data: string }
    | { type: 'url'; url: string };
  title?: string;
  citations?: { enabled: boolean };
  cache_control?: AnthropicCacheControl;
}

export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: (AnthropicTextBlock | AnthropicImageBlock)[];
  is_error?: boolean;
  cache_control?: AnthropicCacheControl;
}

/** A block kept verbatim from an answer (server tools and anything newer), replayed as is. */
export type AnthropicOpaqueBlock = Record<string, unknown> & { type: string };

/** Blocks this dialect builds; their types are checked against `@anthropic-ai/sdk` in the tests. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock;

/** Blocks replayed exactly as the API sent them (not built here, so not typed further). */
export type AnthropicReplayBlock = AnthropicOpaqueBlock | AnthropicCitedTextBlock;

export interface AnthropicMessage<Block = AnthropicContentBlock | AnthropicReplayBlock> {
  role: 'user' | 'assistant';
  content: Block[];
}

/** A function tool. */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: { type: 'object'; [key: string]: unknown };
  strict?: boolean;
  cache_control?: AnthropicCacheControl;
}

/** A server tool run by Anthropic (web search, code execution). */
export type AnthropicServerTool =
  | { type: 'web_search_20250305'; name: 'web_search' }
  | { type: 'code_execution_20250825'; name: 'code_execution' };

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export type AnthropicThinking = { type: 'enabled'; budget_tokens: number } | { type: 'disabled' };

export interface AnthropicOutputConfig {
  format?: { type: 'json_schema'; schema: Record<string, unknown> };
}

/** The request body (`customParams` are merged into it verbatim). */
export interface AnthropicMessagesRequest<Block = AnthropicContentBlock | AnthropicReplayBlock> {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage<Block>[];
  system?: AnthropicTextBlock[];
  stream?: true;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  thinking?: AnthropicThinking;
  tools?: (AnthropicTool | AnthropicServerTool)[];
  tool_choice?: AnthropicToolChoice;
  output_config?: AnthropicOutputConfig;
}

/** `usage` of a message (and the cumulative `usage` of `message_delta`). */
export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

/** `stop_reason` values documented by the API (others are kept raw as `other`). */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';
