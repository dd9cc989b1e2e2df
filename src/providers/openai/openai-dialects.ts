import { LLMError } from '../../errors/llm-error.js';
import { buildProviderUrl, joinEndpoint } from '../../http/provider-url.js';
import type { ProviderModel } from '../../spec/index.js';

/**
 * The OpenAI chat-completions family as data: one typed profile per dialect, plus quirks detected from
 * the base URL. Mappers read flags from here instead of branching on provider names.
 */

/** The `apiType`s served by the OpenAI chat-completions dialect family. */
export type OpenAIDialectName = 'openai' | 'deepseek' | 'zhipu' | 'ark' | 'openrouter';

/** How a dialect takes `reasoning.effort`. */
export type OpenAIReasoningParam =
  /** `reasoning_effort: 'low'` (OpenAI, Volcano Ark) */
  | 'reasoning_effort'
  /** `reasoning: { effort: 'low' }` (OpenRouter's unified parameter) */
  | 'reasoning-object'
  /** `thinking: { type: 'enabled' | 'disabled' }` (Zhipu GLM) */
  | 'thinking-type'
  /** not configurable by parameter (DeepSeek: the model id decides) */
  | 'none';

export interface OpenAIDialectProfile {
  name: OpenAIDialectName;
  /** Added by `buildProviderUrl` unless the base already carries a version segment. */
  versionPrefix: string;
  chatPath: string;
  embeddingPath: string;
  acceptsTopK: boolean;
  acceptsRepetitionPenalty: boolean;
  /** `response_format: { type: 'json_schema' }`; otherwise `json_object` plus the schema in the prompt. */
  jsonSchema: boolean;
  /** `response_format: { type: 'json_object' }` is documented (JSON mode of the `prompt` strategy by default). */
  jsonMode: boolean;
  /** `strict: true` on function tools. */
  strictTools: boolean;
  /** OpenAI reasoning models (o-series, gpt-5) take `max_completion_tokens` and no sampling settings. */
  reasoningModelRules: boolean;
  reasoningParam: OpenAIReasoningParam;
  /** Sends back `reasoning_content` of the current tool-calling turn (DeepSeek thinking mode requires it). */
  replaysReasoningContent: boolean;
  /** `stream_options: { include_usage: true }` is accepted. */
  streamUsage: boolean;
  /** `tool_choice: { type: 'allowed_tools' }` restricts calls to a subset of tools. */
  allowedToolsChoice: boolean;
  /** Content part kinds accepted in user messages besides text and images. */
  inputAudio: boolean;
  inputFile: boolean;
  /** `file.file_data` may be an http(s) URL (OpenRouter); otherwise only base64 data or a file id. */
  inputFileUrl: boolean;
  inputVideo: boolean;
  /** `modalities` values accepted for output (lower-case); empty → only text. */
  outputModalities: readonly ('text' | 'image' | 'audio')[];
  /** OpenRouter image models: `image_config.aspect_ratio`. */
  imageConfig: boolean;
  /** Most inputs of one embeddings request. */
  embeddingMaxBatch: number;
  /** `encoding_format: 'base64'` is accepted on embeddings. */
  embeddingBase64: boolean;
}

const openai: OpenAIDialectProfile = {
  name: 'openai',
  versionPrefix: '/v1',
  chatPath: '/chat/completions',
  embeddingPath: '/embeddings',
  acceptsTopK: false,
  acceptsRepetitionPenalty: false,
  jsonSchema: true,
  // Any OpenAI-compatible server may sit behind `openai`: JSON mode only where asked for.
  jsonMode: false,
  strictTools: true,
  reasoningModelRules: true,
  reasoningParam: 'reasoning_effort',
  replaysReasoningContent: false,
  streamUsage: true,
  allowedToolsChoice: true,
  inputAudio: true,
  inputFile: true,
  inputFileUrl: false,
  inputVideo: false,
  outputModalities: ['text', 'audio'],
  imageConfig: false,
  embeddingMaxBatch: 2048,
  embeddingBase64: true,
};

/** Every dialect of the family, by name. */
export const OPENAI_DIALECTS: Readonly<Record<OpenAIDialectName, OpenAIDialectProfile>> = {
  openai,
  deepseek: {
    ...openai,
    name: 'deepseek',
    acceptsRepetitionPenalty: true,
    // DeepSeek answers json_schema with a 400; JSON mode plus the schema in the prompt works.
    jsonSchema: false,
    jsonMode: true,
    strictTools: false,
    reasoningModelRules: false,
    reasoningParam: 'none',
    replaysReasoningContent: true,
    allowedToolsChoice: false,
    inputAudio: false,
    inputFile: false,
    outputModalities: ['text'],
  },
  zhipu: {
    ...openai,
    name: 'zhipu',
    versionPrefix: '/api/paas/v4',
    acceptsRepetitionPenalty: true,
    jsonSchema: false,
    jsonMode: true,
    strictTools: false,
    reasoningModelRules: false,
    reasoningParam: 'thinking-type',
    // Not documented by Zhipu; usage comes on the last chunk anyway.
    streamUsage: false,
    allowedToolsChoice: false,
    inputAudio: false,
    inputFile: false,
    inputVideo: true,
    outputModalities: ['text'],
    // https://docs.bigmodel.cn/api-reference (embedding-3: at most 64 inputs per request)
    embeddingMaxBatch: 64,
    embeddingBase64: false,
  },
  ark: {
    ...openai,
    name: 'ark',
    versionPrefix: '/api/v3',
    // https://www.volcengine.com/docs/82379/1568221: `response_format` json_object, and json_schema
    // (beta) on the models whose capabilities say so.
    jsonSchema: true,
    jsonMode: true,
    strictTools: false,
    reasoningModelRules: false,
    allowedToolsChoice: false,
    inputAudio: false,
    inputFile: false,
    inputVideo: true,
    outputModalities: ['text'],
    embeddingMaxBatch: 256,
  },
  openrouter: {
    ...openai,
    name: 'openrouter',
    acceptsTopK: true,
    acceptsRepetitionPenalty: true,
    // OpenRouter routes to many backends; it forwards max_tokens and sampling settings itself.
    reasoningModelRules: false,
    reasoningParam: 'reasoning-object',
    allowedToolsChoice: false,
    inputFileUrl: true,
    outputModalities: ['text', 'image', 'audio'],
    imageConfig: true,
  },
};

/** Behaviour that depends on where a dialect is pointed rather than on its `apiType`. */
export interface OpenAIQuirks {
  /**
   * Gemini's OpenAI-compatible endpoint (`…/v1beta/openai`): tool-call ids may be empty, thought
   * signatures travel in `extra_content.google.thought_signature` and must be sent back there, and
   * `reasoning_effort` is accepted by every thinking model.
   */
  geminiCompat: boolean;
}

const GEMINI_COMPAT = /\/v1(?:alpha|beta)?\/openai(?:\/|$)/i;

export function detectOpenAIQuirks(apiBase: string | undefined): OpenAIQuirks {
  return { geminiCompat: apiBase != null && GEMINI_COMPAT.test(apiBase) };
}

/** True for dialect names of this family (the client uses it to pick the factory). */
export function isOpenAIDialectName(value: string): value is OpenAIDialectName {
  return Object.hasOwn(OPENAI_DIALECTS, value);
}

/**
 * URL and headers of a request: the model's `endpoint` override (chat only) or the dialect's path under
 * the provider base (a base with or without its version segment reaches the same URL).
 */
export function resolveOpenAIEndpoint(
  model: ProviderModel,
  profile: OpenAIDialectProfile,
  resourcePath: string,
  useModelEndpoint: boolean,
): { url: string; headers: Record<string, string> } {
  const base = model.provider.apiBase;
  if (!/^https?:\/\//i.test(base)) {
    throw new LLMError('CONFIGURATION_ERROR', `providers.${model.provider.name}.apiBase: not an http(s) URL`);
  }
  const url =
    useModelEndpoint && model.endpoint != null
      ? joinEndpoint(base, model.endpoint)
      : buildProviderUrl(base, profile.versionPrefix, resourcePath);
  return {
    url,
    headers: { 'content-type': 'application/json', ...model.provider.headers },
  };
}
