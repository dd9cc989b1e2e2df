/**
 * Gemini `generateContent` / `embedContent` wire shapes (v1beta), as far as this dialect writes them.
 * Responses are read field by field from `unknown` (see gemini-response.ts), so only requests are typed.
 *
 * @see fixtures/specs/gemini-openapi.json (GenerateContentRequest, Content, Part, Tool, GenerationConfig)
 */

export interface GeminiFunctionCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

export interface GeminiFunctionResponse {
  name: string;
  response: Record<string, unknown>;
  id?: string;
}

/** One `Part`: exactly one data field, plus the optional `thought` flag and `thoughtSignature`. */
export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
  executableCode?: { language: string; code: string; id?: string };
  codeExecutionResult?: { outcome: string; output?: string; id?: string };
}

export interface GeminiContent {
  role?: 'user' | 'model';
  parts: GeminiPart[];
}

/** The OpenAPI-3.0 subset Gemini accepts for function parameters (`Schema`). */
export interface GeminiSchema {
  type?: 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT' | 'NULL';
  format?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  items?: GeminiSchema;
  anyOf?: GeminiSchema[];
  minimum?: number;
  maximum?: number;
  /** int64 fields travel as decimal strings (proto3 JSON). */
  minItems?: string;
  maxItems?: string;
  minLength?: string;
  maxLength?: string;
  minProperties?: string;
  maxProperties?: string;
  pattern?: string;
}

export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  parameters?: GeminiSchema;
}

/** One `Tool`: function declarations, or one native tool (each native tool is its own object). */
export type GeminiTool =
  | { functionDeclarations: GeminiFunctionDeclaration[] }
  | { code_execution: Record<string, never> }
  | { google_search: Record<string, never> }
  | { url_context: Record<string, never> };

export interface GeminiToolConfig {
  functionCallingConfig?: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] };
  retrievalConfig?: { latLng?: unknown };
}

export interface GeminiSafetySetting {
  category: string;
  threshold: string;
}

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  includeThoughts?: boolean;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  maxOutputTokens?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  responseMimeType?: string;
  responseJsonSchema?: unknown;
  responseModalities?: ('TEXT' | 'IMAGE' | 'AUDIO')[];
  imageConfig?: { aspectRatio?: string; imageSize?: string };
  mediaResolution?: string;
  thinkingConfig?: GeminiThinkingConfig;
  [custom: string]: unknown;
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  safetySettings?: GeminiSafetySetting[];
  generationConfig?: GeminiGenerationConfig;
}

export interface GeminiEmbedContentRequest {
  /** `models/<id>`; required inside `batchEmbedContents`, taken from the URL by `embedContent`. */
  model?: string;
  content: { parts: { text: string }[] };
  taskType?: string;
  title?: string;
  outputDimensionality?: number;
}

export interface GeminiBatchEmbedContentsRequest {
  requests: GeminiEmbedContentRequest[];
}
