/**
 * The parts of the OpenAI Responses API (`POST /v1/responses`) this dialect writes. Field names follow
 * `CreateResponse` in `fixtures/specs/openai-openapi.yaml`; responses are read field by field instead.
 */

export type ResponsesImageDetail = 'low' | 'high' | 'auto';

export type ResponsesInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; detail: ResponsesImageDetail; image_url?: string; file_id?: string }
  | { type: 'input_file'; filename?: string; file_data?: string; file_url?: string; file_id?: string };

/** `EasyInputMessage`: assistant turns use the string form (the API stores it as `output_text`). */
export interface ResponsesMessageItem {
  type: 'message';
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: string | ResponsesInputContent[];
}

/** A function call the model made in an earlier turn (`FunctionToolCall`). */
export interface ResponsesFunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  arguments: string;
}

/** The result of a function call (`FunctionCallOutputItemParam`). */
export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  output: string;
}

export type ResponsesInputItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem;

/** `FunctionTool` (flat, not the chat-completions `{ type, function: {…} }` nesting). */
export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict: boolean;
}

export type ResponsesToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; name: string }
  | { type: 'allowed_tools'; mode: 'auto' | 'required'; tools: { type: 'function'; name: string }[] };

/** `text.format` (`TextResponseFormatConfiguration`). */
export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean }
  | Record<string, unknown>;
