import type { ProviderErrorInfo, ProviderFailure } from '../../errors/classify-provider-error.js';
import type { ChatDialect } from '../adapter.js';
import {
  ANTHROPIC_DEFAULT_BASE,
  ANTHROPIC_VERSION,
  createAnthropicChatDialect,
} from './anthropic-chat-dialect.js';
import { classifyAnthropicError } from './anthropic-error.js';

/**
 * What the registry needs to know about a provider (typed here until the public `ProviderDefinition` lands;
 * the integrator retypes `anthropicProvider` against it).
 */
export interface AnthropicProviderDefinition {
  apiType: 'anthropic';
  /** Base URL when the provider config gives none. */
  defaultApiBase: string;
  /** How the key is sent, per attempt. */
  auth: { scheme: 'header'; name: string };
  /** Headers every request carries (the provider's configured `headers` win). */
  headers: Record<string, string>;
  chat(): ChatDialect;
  /**
   * Structured output: `native` (`output_config.format` JSON schema) where the model's capabilities say
   * `jsonSchema`, else a forced tool call; the answer of `native` is one text block holding the JSON.
   */
  structuredOutput: { native: 'json_schema'; fallback: 'tool_call'; nativeRootMustBeObject: true };
  /** Classifies Anthropic error envelopes (HTTP and in-stream) before the generic classifier (API.md §13). */
  classifyError(failure: ProviderFailure, now?: number): ProviderErrorInfo | undefined;
  /** Content parts and function tools may carry `cacheControl` (sent as `cache_control`). */
  promptCaching: true;
}

/** The Anthropic Messages API provider (API.md §13). */
export const anthropicProvider: AnthropicProviderDefinition = {
  apiType: 'anthropic',
  defaultApiBase: ANTHROPIC_DEFAULT_BASE,
  auth: { scheme: 'header', name: 'x-api-key' },
  headers: { 'anthropic-version': ANTHROPIC_VERSION },
  chat: () => createAnthropicChatDialect(),
  structuredOutput: { native: 'json_schema', fallback: 'tool_call', nativeRootMustBeObject: true },
  classifyError: classifyAnthropicError,
  promptCaching: true,
};
