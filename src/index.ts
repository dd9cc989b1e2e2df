// The public surface of switchboard-llm (API.md). Everything exported here is part of the contract;
// anything not exported is an implementation detail and may change.

// Client
export { type CreateLLMOptions, createLLM, type KeysApi, LLM, type ModelsApi } from './client/llm.js';
export {
  chat,
  closeDefaultLLM,
  code,
  createImage,
  embed,
  embedDocuments,
  embedQuery,
  generate,
  generateStructured,
  getDefaultLLM,
  search,
  setDefaultLLM,
  stream,
} from './client/module-api.js';
export {
  createMultimodalMessage,
  type MediaInput,
  type MultimodalInput,
  type MultimodalOptions,
} from './client/multimodal-message.js';
export type {
  CallOptions,
  ChatOptions,
  ConfigBuilderLike,
  EmbedOptions,
  EmbedShortcutOptions,
  ImageInput,
  ImageOptions,
  RemoteMediaCallOption,
  StructuredCallOptions,
  ToolHooks,
} from './client/options.js';
export { type ResponseValidator, requireImage } from './client/validate-response.js';
// Configuration
export { type LoadConfigOptions, loadConfig } from './config/load-config.js';
// Errors
export { LLM_ERROR_CODES, type RetryPolicy, retryPolicyOf } from './errors/error-codes.js';
export { LLMError, type LLMErrorOptions } from './errors/llm-error.js';
// Generation settings
export { CommonOverrides } from './generation/common-overrides.js';
export { EMBEDDING_TASK_TYPES, validateEmbeddingConfig } from './generation/embedding-config.js';
export { GenConfigBuilder } from './generation/gen-config-builder.js';
export { mergeGenerationConfig } from './generation/merge-generation-config.js';
export { geminiCodeExecution, geminiGoogleSearch, geminiUrlContext } from './generation/native-tools.js';
export { validateGenerationConfig } from './generation/validate-generation-config.js';
export { sanitizeForLog } from './logging/sanitize.js';
export { lookupCapabilities } from './models/capability-registry.js';
// Providers (API.md §13; the definition types are in the spec)
export { type RegisterProviderOptions, registerProvider } from './providers/provider-registry.js';
// Schemas and logging helpers
export { toJsonSchema } from './schema/to-json-schema.js';
// Sessions and memory
export { AI } from './session/ai-session.js';
export { createInMemoryStore } from './session/in-memory-store.js';
export { createRedisMemory, type RedisMemoryOptions } from './session/redis-memory.js';
export { renderTemplate } from './session/render-template.js';
export type {
  AddToHistoryOptions,
  SessionBackend,
  SessionChatOptions,
  SessionOptions,
  SessionStructuredOptions,
  SessionTurnResult,
} from './session/session-types.js';
export {
  type ClosableMemoryStore,
  createSqliteMemory,
  type SqliteMemoryOptions,
} from './session/sqlite-memory.js';
export { windowPolicy } from './session/window-policy.js';
// Types (the spec)
export type * from './spec/index.js';
export { parsePartialJson } from './structured/partial-json.js';
export type {
  DeepPartial,
  PartialStructured,
  StructuredIssue,
  StructuredOptions,
  StructuredResult,
  StructuredStream,
} from './structured/structured-types.js';
// Tools
export { type FunctionToolOptions, functionTool } from './tools/function-tool.js';
export { createMcpToolProvider, type McpToolProviderOptions } from './tools/mcp-tool-provider.js';
export { ToolInvoker, type ToolInvokerOptions } from './tools/tool-invoker.js';
export {
  registerToolProvider,
  registerTools,
  ToolProviderRegistry,
  unregisterToolProvider,
  unregisterTools,
} from './tools/tool-registry.js';
