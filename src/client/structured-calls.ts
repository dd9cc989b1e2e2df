import { LLMError } from '../errors/llm-error.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import type { LLMMessage, MessageInput, ToolInput } from '../spec/index.js';
import { generateStructured } from '../structured/generate-structured.js';
import { streamStructured } from '../structured/stream-structured.js';
import type {
  StructuredModelCall,
  StructuredOptions,
  StructuredResult,
  StructuredRunner,
  StructuredSchema,
  StructuredStream,
  StructuredValue,
} from '../structured/structured-types.js';
import { callMediaFor } from './call-media.js';
import { checkCallOptions, isBuilder, STRUCTURED_OPTION_KEYS } from './call-options-check.js';
import { scopeFor } from './call-scope.js';
import { streamCall } from './chat-calls.js';
import type { ClientContext } from './client-context.js';
import { buildTurn } from './normalize-input.js';
import type { ChatOptions, StructuredCallOptions } from './options.js';
import { type InternalChatOptions, prepareChat } from './prepare-chat.js';
import { routedStructured, routedStructuredStream } from './routed-calls.js';
import { runChat } from './run-chat.js';

/** The runner the structured-output engine talks to: one model, one deadline for all its requests. */
function structuredSetup<T>(
  ctx: ClientContext,
  input: MessageInput | LLMMessage[],
  options: StructuredCallOptions<T>,
) {
  checkCallOptions(options, STRUCTURED_OPTION_KEYS);
  const model = ctx.models.resolve(options.model);
  const messages = buildTurn(input, undefined);
  const scope = scopeFor(ctx.clock, model, options, false);
  // One downloader for every request of the call: each media URL is fetched once, re-asks included.
  const media = callMediaFor(ctx, options.fetchRemoteMedia);
  const callerTools = toolsOf(options.tools);
  const toolsFirst = callerTools.length > 0 && options.toolChoice !== 'none';
  let requests = 0;
  const callOptions = (request: StructuredModelCall): [ChatOptions, InternalChatOptions] => {
    const remaining = scope.deadline - ctx.clock.now();
    if (remaining <= 0) throw new LLMError('API_TIMEOUT', 'The call did not finish before its deadline.');
    const chatOptions: ChatOptions = {
      model: model.fullName,
      timeoutMs: remaining,
      config: request.config,
      maxToolRounds: 0,
    };
    const internal: InternalChatOptions = { media };
    const signal = request.signal ?? options.signal;
    if (signal != null) chatOptions.signal = signal;
    if (toolsFirst) {
      // The caller's tools run first (their own loop bound); the structured tool (tool_call) joins them.
      chatOptions.tools = [...callerTools, ...(request.tools ?? [])];
      delete chatOptions.maxToolRounds;
      if (options.maxToolRounds != null) chatOptions.maxToolRounds = options.maxToolRounds;
      if (options.runContext != null) chatOptions.runContext = options.runContext;
      if (options.toolHooks != null) chatOptions.toolHooks = options.toolHooks;
      // The caller's choice opens the first request; re-asks and later rounds use the strategy's.
      const first = requests++ === 0 ? (options.toolChoice ?? request.toolChoice) : request.toolChoice;
      if (first != null) chatOptions.toolChoice = first;
      if (request.toolChoice === 'required') internal.laterToolChoice = 'required';
    } else {
      if (request.tools != null) chatOptions.tools = request.tools;
      if (request.toolChoice != null) chatOptions.toolChoice = request.toolChoice;
    }
    return [chatOptions, internal];
  };
  const toolRounds = (request: StructuredModelCall) => (transcript: LLMMessage[]) =>
    request.onToolRounds?.(transcript.slice(0, -1));
  const runner: StructuredRunner = {
    model,
    call: async (request) => {
      const [chatOptions, internal] = callOptions(request);
      const call = await prepareChat(ctx, chatOptions, false, internal);
      const outcome = await runChat(ctx, call, request.messages);
      toolRounds(request)(outcome.transcript);
      return outcome.response;
    },
    stream: (request) => {
      const [chatOptions, internal] = callOptions(request);
      return streamCall(ctx, request.messages, chatOptions, toolRounds(request), internal);
    },
  };
  const {
    model: _model,
    signal,
    timeoutMs: _timeoutMs,
    config,
    fetchRemoteMedia: _fetchRemoteMedia,
    tools: _tools,
    toolChoice: _toolChoice,
    maxToolRounds: _maxToolRounds,
    runContext: _runContext,
    toolHooks: _toolHooks,
    ...rest
  } = options;
  const engineOptions: StructuredOptions<T> = {
    maxValidationRetries: ctx.config.structuredRetries,
    ...rest,
  };
  if (toolsFirst) engineOptions.toolsFirst = true;
  if (signal != null) engineOptions.signal = signal;
  if (config != null)
    engineOptions.config = validateGenerationConfig(isBuilder(config) ? config.build() : config);
  return { runner, messages, engineOptions };
}

function toolsOf(tools: StructuredCallOptions['tools']): ToolInput[] {
  if (tools == null) return [];
  if (typeof tools !== 'object') {
    throw new LLMError('INVALID_PARAMETER', 'options.tools: must be an array or a record of tools', {
      details: { path: 'options.tools' },
    });
  }
  return Array.isArray(tools) ? [...tools] : Object.values(tools);
}

/** `llm.generateStructuredResult`: the value with the details (response, strategy, repairs, usage). */
export async function generateStructuredCall<S extends StructuredSchema>(
  ctx: ClientContext,
  input: MessageInput | LLMMessage[],
  schema: S,
  options: StructuredCallOptions<StructuredValue<S>>,
): Promise<StructuredResult<StructuredValue<S>>> {
  const route = ctx.models.route(options.model);
  if (route !== undefined)
    return routedStructured(ctx, route, input, schema, options, generateStructuredCall);
  const { runner, messages, engineOptions } = structuredSetup(ctx, input, options);
  return generateStructured(runner, messages, schema, engineOptions);
}

/** `llm.streamStructured`: partial values as they arrive, then the validated value. */
export function streamStructuredCall<S extends StructuredSchema>(
  ctx: ClientContext,
  input: MessageInput | LLMMessage[],
  schema: S,
  options: StructuredCallOptions<StructuredValue<S>>,
): StructuredStream<StructuredValue<S>> {
  const route = ctx.models.route(options.model);
  if (route !== undefined)
    return routedStructuredStream(ctx, route, input, schema, options, streamStructuredCall);
  const { runner, messages, engineOptions } = structuredSetup(ctx, input, options);
  return streamStructured(runner, messages, schema, engineOptions);
}
