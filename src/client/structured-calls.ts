import { LLMError } from '../errors/llm-error.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import type { LLMMessage, MessageInput } from '../spec/index.js';
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
import { checkCallOptions, isBuilder, STRUCTURED_OPTION_KEYS } from './call-options-check.js';
import { scopeFor } from './call-scope.js';
import { streamCall } from './chat-calls.js';
import type { ClientContext } from './client-context.js';
import { buildTurn } from './normalize-input.js';
import type { ChatOptions, StructuredCallOptions } from './options.js';
import { prepareChat } from './prepare-chat.js';
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
  const callOptions = (request: StructuredModelCall): ChatOptions => {
    const remaining = scope.deadline - ctx.clock.now();
    if (remaining <= 0) throw new LLMError('API_TIMEOUT', 'The call did not finish before its deadline.');
    const chatOptions: ChatOptions = {
      model: model.fullName,
      timeoutMs: remaining,
      config: request.config,
      maxToolRounds: 0,
    };
    const signal = request.signal ?? options.signal;
    if (signal != null) chatOptions.signal = signal;
    if (request.tools != null) chatOptions.tools = request.tools;
    if (request.toolChoice != null) chatOptions.toolChoice = request.toolChoice;
    return chatOptions;
  };
  const runner: StructuredRunner = {
    model,
    call: async (request) => {
      const call = await prepareChat(ctx, callOptions(request), false);
      return (await runChat(ctx, call, request.messages)).response;
    },
    stream: (request) => streamCall(ctx, request.messages, callOptions(request)),
  };
  const { model: _model, signal, timeoutMs: _timeoutMs, config, ...rest } = options;
  const engineOptions: StructuredOptions<T> = {
    maxValidationRetries: ctx.config.structuredRetries,
    ...rest,
  };
  if (signal != null) engineOptions.signal = signal;
  if (config != null)
    engineOptions.config = validateGenerationConfig(isBuilder(config) ? config.build() : config);
  return { runner, messages, engineOptions };
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
