import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { SseDecoder } from '../http/sse-decoder.js';
import type {
  AttemptRecord,
  ChatDialect,
  ChatRequestInput,
  LLMGenerationConfig,
  LLMMessage,
  LLMResponse,
  LLMToolCall,
  LLMUsage,
  ParsedChat,
  RunContext,
  StreamDelta,
  StreamEvent,
  ToolChoice,
  ToolExecution,
  ToolResultRecord,
} from '../spec/index.js';
import { type PreparedToolSet, splitToolCalls } from '../tools/prepare-tools.js';
import type { ToolInvoker } from '../tools/tool-invoker.js';
import { toToolMessage } from '../tools/tool-output.js';
import { addUsage } from '../util/add-usage.js';
import { assistantMessageOf, buildResponse } from './build-response.js';
import { cacheControlWarning } from './cache-control-warning.js';
import { type CallMedia, inlineRemoteMedia } from './call-media.js';
import type { CallScope } from './call-scope.js';
import { type ClientContext, toPipelineRequest } from './client-context.js';
import { jsonStreamAnswer } from './json-stream-answer.js';
import type { ResponseValidation } from './validate-response.js';

/** One call, prepared: model, dialect, merged config, tools, deadline. */
export interface PreparedChat {
  model: ResolvedModel;
  dialect: ChatDialect;
  config: LLMGenerationConfig;
  toolSet: PreparedToolSet;
  toolChoice?: ToolChoice;
  /** The tool choice after the first round, when it must differ from the default (see `toolChoiceFor`). */
  laterToolChoice?: ToolChoice;
  scope: CallScope;
  /** Warnings found while preparing (ignored settings, tools a dialect cannot run). */
  warnings: string[];
  maxToolRounds: number;
  runContext: Partial<RunContext>;
  invoker: ToolInvoker;
  /** `fetchRemoteMedia` of the call, when on: URL media the model needs inline is downloaded before round 0. */
  media?: CallMedia;
  /** Runs on the final answer before it is validated (`createImage`: the Markdown-image rescue). */
  finishResponse?: (response: LLMResponse) => Promise<LLMResponse>;
  /** `validateResponse`: a refused final answer is asked again (same history), tools not re-run. */
  validation?: ResponseValidation;
}

/** The outcome of a chat with its tool loop: the response and every message the loop added. */
export interface ChatOutcome {
  response: LLMResponse;
  /** Assistant tool-call turns and tool results of the loop, then the final assistant turn. */
  transcript: LLMMessage[];
}

interface RoundResult {
  parsed: ParsedChat;
  attempts: AttemptRecord[];
  warnings: string[];
}

/**
 * The tool choice of a round. A forced choice (`required`, `{ name }`, `config.toolConfig.mode: 'ANY'`) applies
 * to the first round only: once its tools ran, forcing again would make the model call tools every round until
 * `maxToolRounds` fails the call, so later rounds send `auto` (like the OpenAI Agents SDK's `reset_tool_choice`).
 */
function toolChoiceFor(call: PreparedChat, round: number): ToolChoice | undefined {
  if (round === 0) return call.toolChoice;
  if (call.laterToolChoice !== undefined) return call.laterToolChoice;
  const forced =
    call.toolChoice !== undefined
      ? call.toolChoice !== 'auto' && call.toolChoice !== 'none'
      : call.config.toolConfig?.mode === 'ANY';
  return forced ? 'auto' : call.toolChoice;
}

function requestInput(
  call: PreparedChat,
  messages: LLMMessage[],
  stream: boolean,
  round: number,
): ChatRequestInput {
  const input: ChatRequestInput = {
    model: call.model,
    messages,
    config: call.config,
    tools: call.toolSet.prepared,
    stream,
  };
  const toolChoice = toolChoiceFor(call, round);
  if (toolChoice !== undefined) input.toolChoice = toolChoice;
  return input;
}

/** Adds where-it-happened context to an error leaving a call. */
export function withCallContext(
  error: unknown,
  model: ResolvedModel,
  attempts: AttemptRecord[],
  ctx: ClientContext,
): LLMError {
  const llmError = LLMError.from(error, 'GENERATION_FAILED');
  llmError.provider ??= model.provider.name;
  llmError.model ??= model.fullName;
  if (llmError.attempts == null && attempts.length > 0) llmError.attempts = attempts;
  else if (llmError.attempts != null && attempts.length > 0 && llmError.attempts !== attempts) {
    llmError.attempts = [...attempts, ...llmError.attempts];
  }
  llmError.locale = ctx.config.locale;
  return llmError;
}

async function runRound(
  ctx: ClientContext,
  call: PreparedChat,
  messages: LLMMessage[],
  round: number,
): Promise<RoundResult> {
  const input = requestInput(call, messages, false, round);
  const mapped = call.dialect.buildChatRequest(input);
  const response = await ctx.pipeline(toPipelineRequest('chat', call.model, mapped.value, call.scope));
  try {
    return {
      parsed: call.dialect.parseChatResponse(response.data, input),
      attempts: response.attempts,
      warnings: mapped.warnings,
    };
  } catch (error) {
    throw withCallContext(error, call.model, response.attempts, ctx);
  }
}

function toolResultRecords(executions: ToolExecution[]): ToolResultRecord[] {
  return executions.map((execution) => {
    const record: ToolResultRecord = { call: execution.call, output: execution.output };
    if (execution.error !== undefined) record.error = execution.error;
    return record;
  });
}

/** Which calls of a round the loop runs; undefined when the round ends the loop. */
function callsToRun(call: PreparedChat, parsed: ParsedChat, round: number) {
  if (parsed.toolCalls.length === 0 || call.maxToolRounds === 0) return undefined;
  const { run, returnToCaller } = splitToolCalls(parsed.toolCalls, call.toolSet);
  // Calls to tools without `execute` go back to the caller (with the rest of the round, unrun).
  if (returnToCaller.length > 0 || run.length === 0) return undefined;
  if (round >= call.maxToolRounds) {
    throw new LLMError(
      'GENERATION_FAILED',
      `The model still asked for tools after ${call.maxToolRounds} tool rounds (maxToolRounds = ${call.maxToolRounds}).`,
      { details: { maxToolRounds: call.maxToolRounds, pendingCalls: parsed.toolCalls.map((c) => c.name) } },
    );
  }
  return run;
}

/** The tools' context: the caller's, with a signal that honours the call's and `runContext.signal` alike. */
function runContextOf(call: PreparedChat): Partial<RunContext> {
  const context: Partial<RunContext> = { ...call.runContext };
  const signal = call.scope.toolSignal(call.runContext.signal);
  if (signal != null) context.signal = signal;
  else delete context.signal;
  return context;
}

/**
 * The state of one call's tool loop, shared by `runChat` and `streamChat`: attempts, warnings, tool results
 * and the transcript across rounds, and the history each round sends.
 */
class ToolLoop {
  readonly attempts: AttemptRecord[] = [];
  readonly transcript: LLMMessage[] = [];
  /** Usage of every round so far (API.md §16: `response.usage` is the call's total). */
  usage: LLMUsage | undefined;
  private readonly warnings: string[];
  private readonly toolResults: ToolResultRecord[] = [];
  private requestWarned = false;

  constructor(
    private readonly call: PreparedChat,
    public history: LLMMessage[],
  ) {
    this.warnings = [...call.warnings];
    // Only providers whose definition declares promptCaching send cacheControl marks (API.md §13).
    if (call.model.definition.promptCaching !== true) {
      const warning = cacheControlWarning(history, call.toolSet.prepared.functions, call.model.provider.name);
      if (warning != null) this.warnings.push(warning);
    }
  }

  /** Takes a round's result: the final response, or the calls to run before the next round. */
  absorb(result: RoundResult, round: number): { response: LLMResponse } | { run: LLMToolCall[] } {
    this.attempts.push(...result.attempts);
    if (result.parsed.usage != null) this.usage = addUsage(this.usage, result.parsed.usage);
    // The first request's mapping warnings, once (a validation re-ask sends the same request again).
    if (round === 0 && !this.requestWarned) {
      this.requestWarned = true;
      this.warnings.push(...result.warnings);
    }
    const run = callsToRun(this.call, result.parsed, round);
    if (run !== undefined) return { run };
    const response = buildResponse(
      result.parsed,
      this.call.model.fullName,
      this.attempts,
      this.warnings,
      this.toolResults,
    );
    if (this.usage != null) response.usage = this.usage;
    return { response };
  }

  /**
   * The final answer, finished (`finishResponse`) and validated: the response to return (its message added to
   * the transcript), or `undefined` when `validateResponse` refused it and the round must be asked again.
   */
  async accept(candidate: LLMResponse): Promise<LLMResponse | undefined> {
    const call = this.call;
    const response = call.finishResponse != null ? await call.finishResponse(candidate) : candidate;
    if (call.validation != null && !(await call.validation.accepts(response))) return undefined;
    this.transcript.push(response.message);
    return response;
  }

  /** Runs a round's tool calls and appends the assistant turn and the tool results to the history. */
  async runTools(parsed: ParsedChat, run: LLMToolCall[]): Promise<ToolExecution[]> {
    const call = this.call;
    const executions = await call.invoker.executeAll(run, call.toolSet.executables, runContextOf(call), {
      deadline: call.scope.deadline,
    });
    call.scope.throwIfAborted();
    const assistant = assistantMessageOf(parsed, call.model.fullName);
    const toolMessages = executions.map(toToolMessage);
    this.transcript.push(assistant, ...toolMessages);
    this.toolResults.push(...toolResultRecords(executions));
    this.history = [...this.history, assistant, ...toolMessages];
    return executions;
  }
}

/** `chat`/`generate`: rounds until the model answers without (runnable) tool calls. */
export async function runChat(
  ctx: ClientContext,
  call: PreparedChat,
  messages: LLMMessage[],
): Promise<ChatOutcome> {
  const loop = new ToolLoop(call, messages);
  try {
    loop.history = await inlineRemoteMedia(ctx, call.model, call.media, loop.history, call.scope);
    for (let round = 0; ; ) {
      const result = await runRound(ctx, call, loop.history, round);
      const step = loop.absorb(result, round);
      if ('response' in step) {
        const response = await loop.accept(step.response);
        if (response !== undefined) return { response, transcript: loop.transcript };
        continue; // refused by validateResponse: the same round again
      }
      await loop.runTools(result.parsed, step.run);
      round++;
    }
  } catch (error) {
    throw withCallContext(error, call.model, loop.attempts, ctx);
  } finally {
    call.scope.dispose();
  }
}

/**
 * Largest piece of one network read parsed before its deltas are yielded: a provider that sends many events
 * at once (a 64 KiB read holds ~200 OpenAI chunks) then delivers its first one after ~25 parsed, not 200.
 */
const READ_SLICE_BYTES = 8 * 1024;

/** One streamed round: yields the provider's deltas as events, returns the parsed answer. */
async function* streamRound(
  ctx: ClientContext,
  call: PreparedChat,
  messages: LLMMessage[],
  round: number,
): AsyncGenerator<StreamEvent[], RoundResult> {
  const input = requestInput(call, messages, true, round);
  const mapped = call.dialect.buildChatRequest(input);
  const response = await ctx.pipeline(toPipelineRequest('stream', call.model, mapped.value, call.scope));
  const body = response.body;
  if (body == null && response.data !== undefined) {
    // A JSON answer to a stream request: the same events a stream would have carried.
    const answer = jsonStreamAnswer(call.dialect, response.data, input, response.attempts);
    if (answer.deltas.length > 0) yield answer.deltas;
    return { parsed: answer.parsed, attempts: response.attempts, warnings: mapped.warnings };
  }
  if (body == null)
    throw new LLMError('API_RESPONSE_INVALID', 'The provider answered a stream request without a body.');
  const parser = call.dialect.createStreamParser(input);
  let pending: StreamDelta[] = [];
  const decoder = new SseDecoder((data, event) => parser.push(data, event, (delta) => pending.push(delta)));
  // The deltas of one network read go out as one batch: one hop through the generators per read, not per event.
  const takePending = (): StreamDelta[] => {
    const batch = pending;
    pending = [];
    return batch;
  };
  // A parser error (an error object, a malformed event) is thrown only after the deltas that came
  // before it in the same chunk were yielded: the consumer sees everything, then the error.
  let failure: unknown;
  let parsed: ParsedChat | undefined;
  try {
    for await (const chunk of body) {
      // A large read (a provider that sent many events at once) is parsed slice by slice, each slice's
      // deltas yielded before the next is parsed: the first event reaches the reader after one slice's
      // parse, not the whole read's (the decoder takes a chunk cut anywhere); an abort stops it between slices.
      for (let offset = 0; offset < chunk.length; offset += READ_SLICE_BYTES) {
        if (failure !== undefined || call.scope.signal?.aborted === true) break;
        try {
          decoder.push(
            chunk.length <= READ_SLICE_BYTES ? chunk : chunk.subarray(offset, offset + READ_SLICE_BYTES),
          );
        } catch (error) {
          failure = error;
        }
        if (pending.length > 0) yield takePending();
      }
      if (failure !== undefined) break;
    }
  } catch (error) {
    if (call.scope.signal?.aborted) failure = call.scope.reason();
    else if (LLMError.isInstance(error)) failure = error;
    else {
      failure = new LLMError(
        'API_REQUEST_FAILED',
        `The stream was interrupted: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, networkCause: 'reset' },
      );
    }
  }
  if (failure === undefined) {
    try {
      call.scope.throwIfAborted();
      parsed = parser.finish(decoder.end());
    } catch (error) {
      failure = error;
    }
    if (pending.length > 0) yield takePending();
  }
  if (failure !== undefined || parsed === undefined) {
    const error = LLMError.from(
      failure ?? new Error('stream ended without an answer'),
      'API_RESPONSE_INVALID',
    );
    error.attempts ??= response.attempts;
    throw error;
  }
  return { parsed, attempts: response.attempts, warnings: mapped.warnings };
}

/** Runs a streamed round to its end, keeping its events in `buffer` instead of yielding them. */
async function bufferedRound(
  round: AsyncGenerator<StreamEvent[], RoundResult>,
  buffer: StreamEvent[],
): Promise<RoundResult> {
  for (;;) {
    const step = await round.next();
    if (step.done === true) return step.value;
    buffer.push(...step.value);
  }
}

/**
 * `stream`: streamed rounds with the tool loop in between; ends with `finish` (or throws). With
 * `validateResponse`, each round's events are held until the round ends: a tool round's events then go out
 * at once, a final answer's only once it passed (a refused one is dropped and asked again), so readers never
 * see text that is taken back.
 */
export async function* streamChat(
  ctx: ClientContext,
  call: PreparedChat,
  messages: LLMMessage[],
  onTranscript?: (transcript: LLMMessage[]) => void,
): AsyncGenerator<StreamEvent[], void> {
  const loop = new ToolLoop(call, messages);
  try {
    loop.history = await inlineRemoteMedia(ctx, call.model, call.media, loop.history, call.scope);
    for (let round = 0; ; ) {
      const held: StreamEvent[] | undefined = call.validation != null ? [] : undefined;
      const result =
        held === undefined
          ? yield* streamRound(ctx, call, loop.history, round)
          : await bufferedRound(streamRound(ctx, call, loop.history, round), held);
      const step = loop.absorb(result, round);
      if ('response' in step) {
        const response = await loop.accept(step.response);
        if (response === undefined) continue; // refused: its events are dropped, the round asked again
        if (held !== undefined && held.length > 0) yield held;
        onTranscript?.(loop.transcript);
        yield [{ type: 'finish', response }];
        return;
      }
      if (held !== undefined && held.length > 0) yield held;
      round++;
      const executions = await loop.runTools(result.parsed, step.run);
      for (const execution of executions) {
        const event: StreamEvent = { type: 'tool-result', call: execution.call, output: execution.output };
        if (execution.error !== undefined) event.error = execution.error;
        yield [event];
      }
    }
  } catch (error) {
    throw withCallContext(error, call.model, loop.attempts, ctx);
  } finally {
    call.scope.dispose();
  }
}
