import { isPlainObject } from '../schema/copy-plain.js';
import type {
  FunctionToolSpec,
  LLMMessage,
  LLMToolCall,
  RunContext,
  ToolError,
  ToolExecution,
  ToolInput,
} from '../spec/index.js';
import { recordToolTiming } from '../telemetry/tool-timings.js';
import { type Clock, systemClock } from '../util/clock.js';
import { parseToolArguments } from '../util/parse-tool-arguments.js';
import { ABORTED, InvokeScope, raceAbort, Slots } from './invoke-scope.js';
import { asInvocableTool, type PlainTool } from './normalize-tool.js';
import {
  isRetryableThrow,
  messageOf,
  toolError,
  toToolMessage,
  unserialisableProblem,
} from './tool-output.js';

/** What `onToolStart` may return: nothing (run as is), a rewrite of the call, or the answer itself. */
export type ToolStartResult =
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: hooks that return nothing are the common case.
  | void
  | { name?: string; args?: Record<string, unknown> }
  | { output: unknown };

/** Where an invoker logs hook failures (pino-compatible). */
export interface ToolLogger {
  warn(objOrMessage: unknown, message?: string): void;
}

/** Options of `new ToolInvoker(…)`. */
export interface ToolInvokerOptions {
  /**
   * Before a call runs (after its arguments parsed). Return `{ name?, args? }` to run a rewritten call, or
   * `{ output }` to answer the call without running the tool. A hook that throws turns the call into an
   * `ExecutionError` result (and is logged).
   * @example onToolStart: (call, { args }) => (args.city === 'Paris' ? { output: { tempC: 21 } } : undefined)
   */
  onToolStart?(
    call: LLMToolCall,
    data: { name: string; args: Record<string, unknown> },
  ): ToolStartResult | Promise<unknown>;
  /**
   * After every call (failed, short-circuited and aborted ones too): what the model will see, the
   * structured error (`undefined` on success), the call that ran (rewritten by `onToolStart` if it was)
   * and how long it ran. Throwing here is logged and ignored.
   */
  onToolEnd?(
    result: unknown,
    error: ToolError | undefined,
    call: LLMToolCall,
    durationMs: number,
  ): void | Promise<void>;
  /**
   * Most calls of one batch (`executeAll`/`executeBatch`, one round of the tool loop) running at once;
   * further calls of that batch wait. Batches never wait for each other, so calls sharing an invoker (a
   * client's concurrent chats, a tool that itself runs a chat with tools) cannot starve or deadlock one
   * another. @default 8
   */
  concurrency?: number;
  /** Receives hook failures. @default silent */
  logger?: ToolLogger;
  /** Time source for timeouts, deadlines and durations. @default the system clock */
  clock?: Clock;
}

/** Per-invocation options beyond the `RunContext`. */
export interface ToolRunOptions {
  /** Epoch ms (by the invoker's clock) after which running tools are aborted and pending calls fail. */
  deadline?: number;
}

/** Tools an invoker can run: an array, a record by name, or the `executables` map of `prepareTools`. */
export type ToolSet =
  | ReadonlyMap<string, FunctionToolSpec>
  | readonly (ToolInput | PlainTool)[]
  | Readonly<Record<string, ToolInput | PlainTool>>;

const DEFAULT_CONCURRENCY = 8;

interface Outcome {
  output: unknown;
  error?: ToolError;
  /** The call that ran (after an `onToolStart` rewrite). */
  ran: LLMToolCall;
}

/**
 * Runs tool calls and turns every failure into a structured result for the model — nothing is thrown:
 * unparsable or invalid arguments → `InvalidArguments` (retryable, with `issues`); an unknown tool →
 * `ToolNotFound` (listing the tools there are); a throw, a per-tool timeout, an abort, an output JSON cannot
 * carry → `ExecutionError`. A tool without `execute` is not run (`ExecutionError` "tool has no execute
 * function"; the client never sends such calls here — see `isExecutable`). Calls of one batch run
 * concurrently, at most `concurrency` at a time, and come back in call order.
 *
 * @example
 * const invoker = new ToolInvoker({ onToolEnd: (out, err, call, ms) => log(call.name, ms, err) });
 * const messages = await invoker.executeBatch(response.toolCalls, [weather], { sessionId: 'u1' });
 */
export class ToolInvoker {
  private readonly options: ToolInvokerOptions;
  private readonly clock: Clock;
  private readonly concurrency: number;

  constructor(options: ToolInvokerOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.concurrency = Number.isFinite(concurrency) && concurrency >= 1 ? Math.floor(concurrency) : 1;
  }

  /** Runs one call: `{ call, output, error? }` (`call` as the model made it). */
  async execute(
    call: LLMToolCall,
    tools: ToolSet,
    context?: Partial<RunContext>,
    options?: ToolRunOptions,
  ): Promise<ToolExecution> {
    const [execution] = await this.executeAll([call], tools, context, options);
    return execution as ToolExecution;
  }

  /** Runs calls concurrently (bounded); the executions come back in call order. */
  async executeAll(
    calls: readonly LLMToolCall[],
    tools: ToolSet,
    context: Partial<RunContext> = {},
    options: ToolRunOptions = {},
  ): Promise<ToolExecution[]> {
    const lookup = toolLookup(tools);
    const scope = new InvokeScope(context.signal, options.deadline, this.clock);
    // Slots per batch, not per invoker: a batch waiting on another (nested tool loops) would deadlock.
    const slots = new Slots(this.concurrency);
    try {
      return await Promise.all(calls.map((call) => this.runCall(call, lookup, context, scope, slots)));
    } finally {
      scope.dispose();
    }
  }

  /** Runs calls like `executeAll` and returns the tool messages answering them, in call order. */
  async executeBatch(
    calls: readonly LLMToolCall[],
    tools: ToolSet,
    context?: Partial<RunContext>,
    options?: ToolRunOptions,
  ): Promise<LLMMessage[]> {
    const executions = await this.executeAll(calls, tools, context, options);
    return executions.map(toToolMessage);
  }

  private async runCall(
    call: LLMToolCall,
    lookup: Map<string, FunctionToolSpec>,
    context: Partial<RunContext>,
    scope: InvokeScope,
    slots: Slots,
  ): Promise<ToolExecution> {
    let outcome: Outcome;
    let startedAt = this.clock.now();
    if (!(await slots.acquire(scope.signal))) {
      outcome = aborted(call, scope);
    } else {
      startedAt = this.clock.now();
      try {
        const result = await raceAbort(this.run(call, lookup, context, scope), scope.signal);
        outcome = result === ABORTED ? aborted(call, scope) : result;
      } catch (error) {
        // run() converts every failure; this is a last guard so nothing reaches the caller.
        outcome = { ran: call, ...failure(toolError('ExecutionError', messageOf(error), false)) };
      } finally {
        slots.release();
      }
    }
    const durationMs = this.clock.now() - startedAt;
    recordToolTiming(call, startedAt, durationMs);
    await this.notifyEnd(outcome, durationMs);
    const execution: ToolExecution = { call, output: outcome.output };
    if (outcome.error !== undefined) execution.error = outcome.error;
    return execution;
  }

  private async run(
    call: LLMToolCall,
    lookup: Map<string, FunctionToolSpec>,
    context: Partial<RunContext>,
    scope: InvokeScope,
  ): Promise<Outcome> {
    const parsed =
      typeof call.rawArguments === 'string' && call.rawArguments.trim() !== ''
        ? parseToolArguments(call.rawArguments)
        : ({
            ok: true,
            value: isPlainObject(call.arguments) ? call.arguments : {},
            repaired: false,
          } as const);
    if (!parsed.ok) {
      return {
        ran: call,
        ...failure(toolError('InvalidArguments', `tool '${call.name}': ${parsed.message}`, true)),
      };
    }
    let ran = call;
    let args = parsed.value;
    // Strict OpenAI tools must send optional fields as null; the dialect made them absent again in `arguments`.
    if (!parsed.repaired && args !== call.arguments) dropNullsAbsentIn(args, call.arguments);
    if (this.options.onToolStart !== undefined) {
      let answer: unknown;
      try {
        answer = await this.options.onToolStart(call, { name: call.name, args });
      } catch (error) {
        this.warn(error, call, 'onToolStart hook threw; the call fails with ExecutionError');
        return {
          ran,
          ...failure(toolError('ExecutionError', `onToolStart hook failed: ${messageOf(error)}`, false)),
        };
      }
      if (isPlainObject(answer)) {
        if ('output' in answer) return { ran, output: answer.output === undefined ? null : answer.output };
        const name = typeof answer.name === 'string' ? answer.name : call.name;
        if (isPlainObject(answer.args)) args = answer.args;
        ran = { ...call, name, arguments: args, rawArguments: JSON.stringify(args) };
      }
    }
    const tool = lookup.get(ran.name);
    if (tool === undefined) {
      const names = [...lookup.keys()];
      const available = names.length > 0 ? `available tools: ${names.join(', ')}` : 'no tools are available';
      return {
        ran,
        ...failure(toolError('ToolNotFound', `tool '${ran.name}' not found; ${available}`, false)),
      };
    }
    if (typeof tool.execute !== 'function') {
      return {
        ran,
        ...failure(toolError('ExecutionError', `tool '${ran.name}' has no execute function`, false)),
      };
    }
    if (tool.validate !== undefined) {
      let check: ReturnType<NonNullable<FunctionToolSpec['validate']>>;
      try {
        check = tool.validate(args);
      } catch (error) {
        return {
          ran,
          ...failure(toolError('ExecutionError', `argument validation failed: ${messageOf(error)}`, false)),
        };
      }
      if (!check.ok) {
        const list = check.issues.map(
          (issue) => `${issue.path === '' ? '(arguments)' : issue.path}: ${issue.message}`,
        );
        const message = `invalid arguments for tool '${ran.name}': ${list.join('; ')}. Fix the arguments and call the tool again.`;
        return { ran, ...failure(toolError('InvalidArguments', message, true, check.issues)) };
      }
      args = check.value;
    }
    return { ran, ...(await this.runTool(tool, ran.name, args, context, scope)) };
  }

  private async runTool(
    tool: FunctionToolSpec,
    name: string,
    args: Record<string, unknown>,
    context: Partial<RunContext>,
    scope: InvokeScope,
  ): Promise<Omit<Outcome, 'ran'>> {
    const own = new AbortController();
    const runContext: RunContext = {
      ...context,
      scope: context.scope ?? {},
      extra: context.extra ?? {},
      signal: AbortSignal.any([scope.signal, own.signal]),
    };
    const timer = new AbortController();
    try {
      const running = Promise.resolve().then(() => tool.execute?.(args, runContext));
      let value: unknown;
      if (tool.timeoutMs !== undefined) {
        const timeoutMs = tool.timeoutMs;
        const timedOut = this.clock.sleep(timeoutMs, timer.signal).then(() => TIMED_OUT);
        value = await Promise.race([running, timedOut]);
        if (value === TIMED_OUT) {
          const message = `tool '${name}' timed out after ${timeoutMs} ms`;
          own.abort(new Error(message));
          return failure(toolError('ExecutionError', message, true));
        }
      } else {
        value = await running;
      }
      const output = value === undefined ? null : value;
      const problem = unserialisableProblem(output);
      if (problem !== undefined) {
        return failure(toolError('ExecutionError', `output is not JSON-serialisable: ${problem}`, false));
      }
      return { output };
    } catch (error) {
      if (scope.signal.aborted) return failure(abortedError(name, scope));
      return failure(toolError('ExecutionError', messageOf(error), isRetryableThrow(error)));
    } finally {
      timer.abort();
    }
  }

  private async notifyEnd(outcome: Outcome, durationMs: number): Promise<void> {
    if (this.options.onToolEnd === undefined) return;
    try {
      await this.options.onToolEnd(outcome.output, outcome.error, outcome.ran, durationMs);
    } catch (error) {
      this.warn(error, outcome.ran, 'onToolEnd hook threw; ignored');
    }
  }

  private warn(error: unknown, call: LLMToolCall, message: string): void {
    try {
      this.options.logger?.warn({ tool: call.name, toolCallId: call.id, error: messageOf(error) }, message);
    } catch {
      // a logger must never break a tool call
    }
  }
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Deletes (in place) the `null` fields of `value` that `reference` — the dialect's parsed copy of the same
 * arguments — does not have, at any depth. Anything else is left alone, so a `{}` reference changes nothing
 * but top-level nulls.
 */
function dropNullsAbsentIn(value: unknown, reference: unknown): void {
  if (Array.isArray(value) && Array.isArray(reference)) {
    value.forEach((item, i) => {
      dropNullsAbsentIn(item, reference[i]);
    });
    return;
  }
  if (!isPlainObject(value) || !isPlainObject(reference)) return;
  for (const key of Object.keys(value)) {
    if (value[key] === null && !Object.hasOwn(reference, key)) delete value[key];
    else dropNullsAbsentIn(value[key], reference[key]);
  }
}

function failure(error: ToolError): { output: ToolError; error: ToolError } {
  return { output: error, error };
}

function abortedError(name: string, scope: InvokeScope): ToolError {
  return toolError('ExecutionError', `tool '${name}' aborted: ${scope.abortReason()}`, false);
}

function aborted(call: LLMToolCall, scope: InvokeScope): Outcome {
  return { ran: call, ...failure(abortedError(call.name, scope)) };
}

/** Tools by the name the model calls them (the first of a duplicated name wins). */
function toolLookup(tools: ToolSet): Map<string, FunctionToolSpec> {
  const lookup = new Map<string, FunctionToolSpec>();
  const add = (tool: unknown, key?: string) => {
    const spec = asInvocableTool(tool, key);
    if (spec !== undefined && !lookup.has(spec.name)) lookup.set(spec.name, spec);
  };
  if (tools instanceof Map) for (const [key, tool] of tools) add(tool, key);
  else if (Array.isArray(tools)) for (const tool of tools) add(tool);
  else if (typeof tools === 'object' && tools !== null)
    for (const [key, tool] of Object.entries(tools)) add(tool, key);
  return lookup;
}
