// switchboard-llm/testing: a loopback fake of the OpenAI, Gemini and Anthropic APIs for offline tests (API.md §11).
export {
  type AnthropicBlock,
  type AnthropicFakeUsage,
  type AnthropicReplyOptions,
  type AnthropicStreamOptions,
  anthropicErrorEvent,
  anthropicErrorReply,
  anthropicMessageReply,
  anthropicStreamReply,
  anthropicToolUseReply,
} from './anthropic-replies.js';
export { DEFAULT_EMBEDDING_DIMENSIONS, fakeEmbedding } from './auto-embeddings.js';
export { TINY_PNG_BASE64 } from './auto-images.js';
export { startFakeProvider } from './fake-provider.js';
export type {
  FakeKeys,
  FakeProvider,
  FakeProviderOptions,
  FakeProviderScript,
  MultipartBody,
  MultipartFile,
  RecordedRequest,
  ReplyContext,
  ReplyHandler,
} from './fake-provider-types.js';
export {
  type GeminiPart,
  type GeminiReplyOptions,
  type GeminiStreamOptions,
  geminiErrorReply,
  geminiReply,
  geminiStreamReply,
} from './gemini-replies.js';
export {
  type FakeToolCall,
  type FakeUsage,
  type OpenAIErrorFields,
  type OpenAIReplyOptions,
  type OpenAIStreamOptions,
  openaiChatReply,
  openaiErrorReply,
  openaiStreamReply,
  openaiToolCallReply,
} from './openai-replies.js';
export { type RateLimitOptions, rateLimitReply } from './rate-limit-reply.js';
export type {
  FixtureReply,
  JsonReply,
  Reply,
  ReplyCommon,
  ReplyCompression,
  ReplyHeaders,
  ResetReply,
  SseFaults,
  SseReply,
  StallReply,
  TextReply,
} from './reply-types.js';
export { rawSse, type SpecialSseItem, type SseItem, sseEvent } from './sse-items.js';
