// The library is ESM only and this package CommonJS: its types are imported in `import` resolution mode,
// and its code with `import()` at start (see `index.ts`).
export type {
  AI,
  KeyStats,
  KeyStatus,
  LLM,
  LLMConfig,
  LLMContentPart,
  LLMResponse,
  LogFn,
  Logger,
  MediaPart,
  ModelInfo,
  ProviderConfig,
} from 'switchboard-llm' with { 'resolution-mode': 'import' };

/** The module `switchboard-llm`, as `import('switchboard-llm')` resolves it. */
export type Library = typeof import('switchboard-llm', { with: { 'resolution-mode': 'import' }});
