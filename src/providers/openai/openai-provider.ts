import type { ProviderDefinition } from '../../spec/index.js';
import { createOpenAIChatDialect } from './openai-chat-dialect.js';
import { OPENAI_DIALECTS, type OpenAIDialectName } from './openai-dialects.js';
import { createOpenAIEmbeddingDialect } from './openai-embeddings.js';
import { openAINativeOutput } from './openai-structured-output.js';

/** OpenRouter's app attribution (https://openrouter.ai/docs/api-reference/overview#headers). */
export const OPENROUTER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'HTTP-Referer': 'https://github.com/switchboard-llm/switchboard-llm',
  'X-Title': 'switchboard-llm',
});

/** A chat-completions family type: chat, embeddings and structured output from its profile. */
function openAIFamily(
  name: OpenAIDialectName,
  defaultApiBase: string,
  headers?: Readonly<Record<string, string>>,
): ProviderDefinition {
  const profile = OPENAI_DIALECTS[name];
  const definition: ProviderDefinition = {
    apiType: name,
    defaultApiBase,
    auth: { scheme: 'bearer' },
    chat: () => createOpenAIChatDialect(name),
    embedding: () => createOpenAIEmbeddingDialect(name),
    structuredOutput: profile.jsonSchema
      ? { native: openAINativeOutput, jsonMode: profile.jsonMode }
      : { jsonMode: profile.jsonMode },
  };
  if (headers != null) definition.headers = { ...headers };
  return definition;
}

/** `openai`: OpenAI chat completions, and any OpenAI-compatible server given as `apiBase`. */
export const openaiProvider = openAIFamily('openai', 'https://api.openai.com');
/** `deepseek`: DeepSeek (thinking-mode replay, JSON mode, no json_schema). */
export const deepseekProvider = openAIFamily('deepseek', 'https://api.deepseek.com');
/** `zhipu`: Zhipu GLM (`/api/paas/v4`, `thinking: { type }`). */
export const zhipuProvider = openAIFamily('zhipu', 'https://open.bigmodel.cn');
/** `ark`: Volcano Engine Ark (`/api/v3`). */
export const arkProvider = openAIFamily('ark', 'https://ark.cn-beijing.volces.com');
/** `openrouter`: OpenRouter (attribution headers, `reasoning` object, image output). */
export const openrouterProvider = openAIFamily('openrouter', 'https://openrouter.ai/api', OPENROUTER_HEADERS);
