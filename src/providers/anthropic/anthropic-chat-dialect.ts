import { buildProviderUrl, joinEndpoint } from '../../http/provider-url.js';
import type {
  ChatDialect,
  ChatRequestInput,
  Mapped,
  PipelineRequest,
  ProviderModel,
  ProviderRequest,
} from '../../spec/index.js';
import { mapAnthropicConfig } from './anthropic-config.js';
import { convertAnthropicMessages } from './anthropic-messages.js';
import { checkAnthropicBody, parseAnthropicResponse } from './anthropic-response.js';
import { AnthropicStreamParser } from './anthropic-stream.js';
import { mapAnthropicTools } from './anthropic-tools.js';
import type { AnthropicMessagesRequest } from './anthropic-wire.js';

/** The Anthropic API, when the provider gives no `apiBase`. */
export const ANTHROPIC_DEFAULT_BASE = 'https://api.anthropic.com';
/** The API version every request names. */
export const ANTHROPIC_VERSION = '2023-06-01';
/** The key travels in `x-api-key`. */
export const ANTHROPIC_AUTH: PipelineRequest['auth'] = Object.freeze({ scheme: 'header', name: 'x-api-key' });

/** The model fields this dialect reads (the future public `ProviderModel` has them all). */
export type AnthropicModel = Pick<
  ProviderModel,
  'id' | 'fullName' | 'capabilities' | 'endpoint' | 'defaults'
> & {
  provider: Pick<ProviderModel['provider'], 'name' | 'apiBase' | 'headers'>;
};

/** `{base}/v1/messages` (a base ending in `/v1` is not doubled); `ModelDetail.endpoint` overrides the path. */
export function anthropicMessagesUrl(model: AnthropicModel): string {
  const base = model.provider.apiBase ?? ANTHROPIC_DEFAULT_BASE;
  return model.endpoint != null
    ? joinEndpoint(base, model.endpoint)
    : buildProviderUrl(base, '/v1', '/messages');
}

/** JSON content type and `anthropic-version`, then the provider's configured headers (they win, e.g. `anthropic-beta`). */
export function anthropicHeaders(model: AnthropicModel): Record<string, string> {
  return {
    'content-type': 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    ...model.provider.headers,
  };
}

/** Builds the Messages API body for one chat call (API.md §13). */
export function buildAnthropicBody(input: ChatRequestInput): Mapped<AnthropicMessagesRequest> {
  const model: AnthropicModel = input.model;
  const config = mapAnthropicConfig(input.config, model);
  const { citations, custom, ...fields } = config.value;
  const toolInput: Parameters<typeof mapAnthropicTools>[0] = {
    tools: input.tools,
    thinking: fields.thinking?.type === 'enabled',
  };
  if (input.toolChoice != null) toolInput.toolChoice = input.toolChoice;
  if (input.config.toolConfig != null) toolInput.toolConfig = input.config.toolConfig;
  const tools = mapAnthropicTools(toolInput);
  const messages = convertAnthropicMessages({
    messages: input.messages,
    providerName: model.provider.name,
    citations,
  });
  const body: AnthropicMessagesRequest = { model: model.id, messages: messages.value.messages, ...fields };
  if (messages.value.system != null) body.system = messages.value.system;
  if (tools.value.tools != null) body.tools = tools.value.tools;
  if (tools.value.tool_choice != null) body.tool_choice = tools.value.tool_choice;
  if (input.stream) body.stream = true;
  Object.assign(body, custom);
  return { value: body, warnings: [...config.warnings, ...tools.warnings, ...messages.warnings] };
}

/**
 * The Anthropic Messages dialect (`POST {apiBase}/v1/messages`, key in `x-api-key`, `anthropic-version`
 * header). Pure: builds the request, parses answers and streams; HTTP, keys and retries live in the pipeline.
 */
export function createAnthropicChatDialect(): ChatDialect {
  return {
    buildChatRequest(input: ChatRequestInput): Mapped<ProviderRequest> {
      const body = buildAnthropicBody(input);
      const context = { model: input.model };
      const request: ProviderRequest = {
        method: 'POST',
        url: anthropicMessagesUrl(input.model),
        headers: anthropicHeaders(input.model),
        body: body.value,
        auth: ANTHROPIC_AUTH,
        stream: input.stream,
        checkBody: (data) => checkAnthropicBody(data, context),
      };
      return { value: request, warnings: body.warnings };
    },
    parseChatResponse: (data, input) => parseAnthropicResponse(data, { model: input.model }),
    createStreamParser: (input) => new AnthropicStreamParser({ model: input.model }),
  };
}
