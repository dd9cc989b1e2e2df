import type { ChatDialect, ChatRequestInput, Mapped, ProviderRequest } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import { applyCustomParams, mapOpenAIConfig } from './openai-config.js';
import {
  detectOpenAIQuirks,
  OPENAI_DIALECTS,
  type OpenAIDialectName,
  type OpenAIDialectProfile,
  type OpenAIQuirks,
  resolveOpenAIEndpoint,
} from './openai-dialects.js';
import { errorFromOpenAIBody, invalidResponse, type OpenAIErrorContext } from './openai-error.js';
import { addSystemInstruction, convertToOpenAIMessages } from './openai-messages.js';
import { type OpenAIParseContext, parseOpenAIChatResponse } from './openai-response.js';
import { OpenAIStreamParser } from './openai-stream.js';
import { serializeOpenAITools } from './openai-tools.js';
import type { OpenAIChatRequestBody } from './openai-wire.js';

/**
 * The chat-completions dialect for `openai`, `deepseek`, `zhipu`, `ark` and `openrouter` (and any
 * OpenAI-compatible base URL under `openai`, Gemini's `/v1beta/openai` included). Pure: builds the
 * request and parses answers; HTTP, keys and retries belong to the pipeline.
 */
export function createOpenAIChatDialect(name: OpenAIDialectName = 'openai'): ChatDialect {
  const profile = OPENAI_DIALECTS[name];
  return {
    buildChatRequest: (input) => buildOpenAIChatRequest(input, profile),
    parseChatResponse: (data, input) => parseOpenAIChatResponse(data, parseContextOf(input, profile)),
    createStreamParser: (input) => new OpenAIStreamParser(parseContextOf(input, profile)),
  };
}

export function buildOpenAIChatRequest(
  input: ChatRequestInput,
  profile: OpenAIDialectProfile,
): Mapped<ProviderRequest> {
  const { model } = input;
  const quirks = detectOpenAIQuirks(model.provider.apiBase);
  const messages = convertToOpenAIMessages(input.messages, {
    profile,
    quirks,
    providerName: model.provider.name,
  });
  const tools = serializeOpenAITools(input.tools.functions, profile);
  const config = mapOpenAIConfig(input.config, {
    profile,
    quirks,
    model,
    toolNames: input.tools.functions.map((tool) => tool.name),
    ...(input.toolChoice !== undefined ? { toolChoice: input.toolChoice } : {}),
  });
  const warnings = [...messages.warnings, ...tools.warnings, ...config.warnings];
  const configured = new Set((input.config.nativeTools ?? []).map((tool) => tool.type));
  for (const tool of input.tools.providerTools) {
    // Native tools set through config.nativeTools were already reported by the config mapping.
    if (!configured.has(tool.type))
      warnings.push(
        `native tool ${tool.provider}.${tool.type} is not supported by ${dialectLabel(profile, quirks)}; not sent`,
      );
  }
  const body: OpenAIChatRequestBody = { model: model.id, messages: messages.value };
  if (tools.value.tools !== undefined) body.tools = tools.value.tools;
  Object.assign(body, config.value.fields);
  if (input.stream) {
    body.stream = true;
    if (profile.streamUsage) body.stream_options = { include_usage: true };
  }
  applyCustomParams(body, input.config.customParams);
  const format = body.response_format;
  addSystemInstruction(
    body.messages,
    config.value.systemInstruction,
    isRecord(format) && format.type === 'json_object',
  );
  const { url, headers } = resolveOpenAIEndpoint(model, profile, profile.chatPath, true);
  const errorContext: OpenAIErrorContext = { provider: model.provider.name, model: model.fullName };
  return {
    value: {
      method: 'POST',
      url,
      headers,
      body,
      auth: { scheme: 'bearer' },
      stream: input.stream,
      checkBody: (data) => checkChatBody(data, errorContext),
    },
    warnings,
  };
}

/** A 2xx body that carries an error object, or no choices, is not an answer. */
export function checkChatBody(data: unknown, context: OpenAIErrorContext): void {
  const error = errorFromOpenAIBody(data, context);
  if (error !== undefined) throw error;
  if (!isRecord(data) || !Array.isArray(data.choices) || data.choices.length === 0) {
    throw invalidResponse(`${context.provider} returned a body without choices`, context);
  }
}

function parseContextOf(input: ChatRequestInput, profile: OpenAIDialectProfile): OpenAIParseContext {
  const context: OpenAIParseContext = { provider: input.model.provider.name, model: input.model.fullName };
  if (!input.tools.functions.some((tool) => tool.strict === true)) return context;
  // The same (cached) conversion as the request: the optional fields of strict tools come back as null.
  const strict = serializeOpenAITools(input.tools.functions, profile).value.strictOptionalPaths;
  if (strict.size > 0) context.strictOptionalPaths = strict;
  return context;
}

function dialectLabel(profile: OpenAIDialectProfile, quirks: OpenAIQuirks): string {
  return quirks.geminiCompat ? "Gemini's OpenAI-compatible endpoint" : profile.name;
}
