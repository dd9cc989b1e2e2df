// switchboard-llm/testing: a loopback fake of the OpenAI, Gemini and Anthropic APIs for offline tests (API.md §11),
// and the provider conformance suite with its wire kits (API.md §13).
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
export type {
  ChatWire,
  ConformanceCapability,
  ConformanceCase,
  ConformanceErrorKind,
  ConformanceErrorOptions,
  ConformanceImage,
  ConformanceModels,
  ConformanceReasoning,
  ConformanceRequest,
  ConformanceServer,
  ConformanceTarget,
  ConformanceTargetBase,
  ConformanceToolCall,
  ConformanceUsage,
  SentToolResult,
  TestRegistrar,
  WireKit,
  WireReader,
} from './conformance/conformance-types.js';
export { anthropicWireKit } from './conformance/kits/anthropic-kit.js';
export { geminiWireKit } from './conformance/kits/gemini-kit.js';
export { openaiChatWireKit, openaiErrorReplies } from './conformance/kits/openai-chat-kit.js';
export {
  nanoBananaWireKit,
  openaiImagesWireKit,
  openrouterImagesWireKit,
} from './conformance/kits/openai-images-kit.js';
export { openaiResponsesWireKit } from './conformance/kits/openai-responses-kit.js';
export { defineProviderConformance, providerConformanceCases } from './conformance/provider-conformance.js';
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
  openaiToolCallStreamReply,
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
export {
  type ResponsesFakeUsage,
  type ResponsesReplyOptions,
  type ResponsesStreamOptions,
  responsesErrorEvent,
  responsesReply,
  responsesStreamReply,
  responsesToolCallReply,
  responsesToolCallStreamReply,
} from './responses-replies.js';
export { rawSse, type SpecialSseItem, type SseItem, sseEvent } from './sse-items.js';
