import type { ChatDialect, ChatRequestInput, Mapped, ProviderRequest } from '../../spec/index.js';
import { mapGeminiConfig } from './gemini-config.js';
import { convertGeminiMessages } from './gemini-messages.js';
import { GEMINI_AUTH, geminiHeaders, geminiUrl } from './gemini-request.js';
import { checkGeminiBody, parseGeminiResponse } from './gemini-response.js';
import { GeminiStreamParser } from './gemini-stream.js';
import { mapGeminiTools } from './gemini-tools.js';
import type { GeminiGenerateContentRequest } from './gemini-wire.js';

/** Safety threshold of the four standard categories when a call gives no `safety.safetySettings`. */
const DEFAULT_SAFETY_THRESHOLD = 'BLOCK_NONE';

/**
 * Builds the `generateContent` / `streamGenerateContent` body for one chat call; `safetyThreshold` is
 * the client's `geminiSafetyThreshold`.
 */
export function buildGeminiChatBody(
  input: ChatRequestInput,
  safetyThreshold: string = DEFAULT_SAFETY_THRESHOLD,
): Mapped<GeminiGenerateContentRequest> {
  const config = mapGeminiConfig(input.config, input.model, safetyThreshold);
  const toolInput: Parameters<typeof mapGeminiTools>[0] = { tools: input.tools, model: input.model };
  if (input.config.nativeTools != null) toolInput.nativeTools = input.config.nativeTools;
  if (input.toolChoice != null) toolInput.toolChoice = input.toolChoice;
  if (input.config.toolConfig != null) toolInput.toolConfig = input.config.toolConfig;
  const tools = mapGeminiTools(toolInput);
  const messages = convertGeminiMessages({
    messages: input.messages,
    model: input.model,
    contextUrls: tools.value.contextUrls,
  });

  const body: GeminiGenerateContentRequest = { contents: messages.value.contents };
  if (messages.value.systemInstruction != null) body.systemInstruction = messages.value.systemInstruction;
  if (tools.value.tools != null) body.tools = tools.value.tools;
  const toolConfig = { ...tools.value.toolConfig };
  if (config.value.retrievalConfig != null) toolConfig.retrievalConfig = config.value.retrievalConfig;
  if (Object.keys(toolConfig).length > 0) body.toolConfig = toolConfig;
  body.safetySettings = config.value.safetySettings;
  if (config.value.generationConfig != null) body.generationConfig = config.value.generationConfig;
  return { value: body, warnings: [...config.warnings, ...tools.warnings, ...messages.warnings] };
}

/**
 * The Gemini `generateContent` dialect (API key in the `x-goog-api-key` header only; `safetyThreshold`
 * is the client's `geminiSafetyThreshold`, default `BLOCK_NONE`). Pure: builds the
 * request, parses answers and streams; HTTP, keys and retries live in the pipeline.
 */
export function createGeminiChatDialect(options: { safetyThreshold?: string } = {}): ChatDialect {
  const threshold = options.safetyThreshold ?? DEFAULT_SAFETY_THRESHOLD;
  return {
    buildChatRequest(input: ChatRequestInput): Mapped<ProviderRequest> {
      const body = buildGeminiChatBody(input, threshold);
      const url = geminiUrl(input.model, input.stream ? 'streamGenerateContent' : 'generateContent');
      const context = { model: input.model };
      const request: ProviderRequest = {
        method: 'POST',
        url: url.url,
        headers: geminiHeaders(input.model),
        body: body.value,
        auth: GEMINI_AUTH,
        stream: input.stream,
        checkBody: (data) => checkGeminiBody(data, context),
      };
      const warnings = url.warning != null ? [...body.warnings, url.warning] : body.warnings;
      return { value: request, warnings };
    },
    parseChatResponse: (data, input) => parseGeminiResponse(data, { model: input.model }),
    createStreamParser: (input) => new GeminiStreamParser({ model: input.model }),
  };
}
