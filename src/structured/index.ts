// Structured output: the engine behind `llm.generateStructured` (API.md §8), independent of HTTP.
export { shouldApplyAutoCoT } from './auto-cot.js';
export { formatPath } from './format-issues.js';
export { generateStructured } from './generate-structured.js';
export { PartialJsonParser, parsePartialJson } from './partial-json.js';
export { type JsonAnswer, parseJsonAnswer } from './repair-json.js';
export { streamStructured } from './stream-structured.js';
export { DEFAULT_ERROR_PROMPTS, renderErrorPrompt, STRUCTURED_TOOL_NAME } from './structured-prompts.js';
export type {
  DeepPartial,
  PartialStructured,
  StructuredIssue,
  StructuredModelCall,
  StructuredModelStream,
  StructuredOptions,
  StructuredResult,
  StructuredRunner,
  StructuredSchema,
  StructuredStream,
  StructuredValue,
} from './structured-types.js';
