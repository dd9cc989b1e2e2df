import { isObjectRoot, wrapRoot } from '../../schema/root-wrap.js';
import type { ProviderDefinition } from '../../spec/index.js';
import {
  ANTHROPIC_DEFAULT_BASE,
  ANTHROPIC_VERSION,
  createAnthropicChatDialect,
} from './anthropic-chat-dialect.js';
import { classifyAnthropicError } from './anthropic-error.js';
import { hasOpenObjects } from './anthropic-schema.js';

/**
 * `anthropic`: the Anthropic Messages API (`POST {apiBase}/v1/messages`, API.md §13). The key goes in
 * `x-api-key`; every request carries `anthropic-version`. Native structured output is
 * `output_config.format` (object roots only, so other roots are wrapped) for models whose capabilities say
 * `jsonSchema`; a schema with open maps (`z.record`) declines it, because Anthropic's constrained output
 * closes every object and the map would always come back empty. Otherwise a forced tool call.
 */
export const anthropicProvider: ProviderDefinition = {
  apiType: 'anthropic',
  defaultApiBase: ANTHROPIC_DEFAULT_BASE,
  auth: { scheme: 'header', name: 'x-api-key' },
  headers: { 'anthropic-version': ANTHROPIC_VERSION },
  chat: () => createAnthropicChatDialect(),
  structuredOutput: {
    native: (schema) => {
      if (hasOpenObjects(schema)) return undefined;
      const rootWrapped = !isObjectRoot(schema);
      return { output: { responseSchema: rootWrapped ? wrapRoot(schema) : schema }, rootWrapped };
    },
    fallback: 'tool_call',
  },
  classifyError: (failure) =>
    classifyAnthropicError({
      ...(failure.status != null ? { status: failure.status } : {}),
      headers: { ...failure.headers },
      body: failure.body,
    })?.code,
  promptCaching: true,
};
