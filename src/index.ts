// The public surface of switchboard-llm. Everything exported here is part of the contract (API.md);
// anything not exported is an implementation detail.
export { LLM_ERROR_CODES, type RetryPolicy, retryPolicyOf } from './errors/error-codes.js';
export { LLMError, type LLMErrorOptions } from './errors/llm-error.js';
export type * from './spec/index.js';
