import { modelErrorContext } from '../../errors/invalid-response.js';
import { buildProviderUrl, joinEndpoint } from '../../http/provider-url.js';
import type {
  ChatDialect,
  ChatRequestInput,
  Mapped,
  ProviderModel,
  ProviderRequest,
} from '../../spec/index.js';
import { imageDetailOf, mapResponsesConfig, mapResponsesToolChoice } from './responses-config.js';
import { instructionsForJsonMode, toResponsesInput } from './responses-messages.js';
import {
  checkResponsesBody,
  parseResponsesResponse,
  type ResponsesParseContext,
} from './responses-response.js';
import { ResponsesStreamParser } from './responses-stream.js';
import { toResponsesTools } from './responses-tools.js';

/** `POST {base}/v1/responses`, or the model's endpoint override. */
export function responsesUrl(model: ProviderModel): string {
  const base = model.provider.apiBase;
  return model.endpoint != null
    ? joinEndpoint(base, model.endpoint)
    : buildProviderUrl(base, '/v1', '/responses');
}

/**
 * Builds a Responses API request. The library keeps the conversation itself, so `store: false` is sent
 * (nothing is kept at OpenAI; `customParams: { store: true }` turns it back on). `customParams` are
 * merged last, verbatim.
 */
export function buildResponsesRequest(input: ChatRequestInput): Mapped<ProviderRequest> {
  const { model, config } = input;
  const messages = toResponsesInput(input.messages, imageDetailOf(config));
  const tools = toResponsesTools(input.tools);
  const choice = mapResponsesToolChoice(config, input.toolChoice, input.tools.functions);
  const mapped = mapResponsesConfig(config, model);

  const { fields, jsonInstruction } = mapped.value;
  const format = (fields.text as { format?: { type?: unknown } } | undefined)?.format;
  const instructions =
    format?.type === 'json_object'
      ? instructionsForJsonMode(messages.value, jsonInstruction)
      : messages.value.instructions;

  const body: Record<string, unknown> = { model: model.id };
  if (instructions != null) body.instructions = instructions;
  body.input = messages.value.input;
  if (tools.value.tools.length > 0) body.tools = tools.value.tools;
  if (choice.value != null) body.tool_choice = choice.value;
  Object.assign(body, fields);
  body.store = false;
  if (input.stream) body.stream = true;
  if (config.customParams != null) Object.assign(body, config.customParams);

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (input.stream) headers.accept = 'text/event-stream';
  Object.assign(headers, model.provider.headers);
  const context = modelErrorContext(model);
  const warnings = [
    ...new Set([...messages.warnings, ...tools.warnings, ...choice.warnings, ...mapped.warnings]),
  ];
  return {
    value: {
      method: 'POST',
      url: responsesUrl(model),
      headers,
      body,
      auth: { scheme: 'bearer' },
      stream: input.stream,
      checkBody: (data) => checkResponsesBody(data, context),
    },
    warnings,
  };
}

/** The OpenAI Responses API dialect (`apiType: openai_responses`). */
export function createResponsesDialect(): ChatDialect {
  return {
    buildChatRequest: buildResponsesRequest,
    parseChatResponse: (data, input) => parseResponsesResponse(data, parseContextOf(input)),
    createStreamParser: (input) => new ResponsesStreamParser(parseContextOf(input)),
  };
}

function parseContextOf(input: ChatRequestInput): ResponsesParseContext {
  const context: ResponsesParseContext = modelErrorContext(input.model);
  if (!input.tools.functions.some((tool) => tool.strict === true)) return context;
  // The same (cached) conversion as the request: optional fields of strict tools come back as null.
  const paths = toResponsesTools(input.tools).value.strictOptionalPaths;
  if (paths.size > 0) context.strictOptionalPaths = paths;
  return context;
}
