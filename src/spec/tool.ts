import type { CacheControl } from './content-part.js';
import type { LLMToolCall } from './message.js';

/** A JSON Schema document (draft 2020-12 subset as providers accept it). */
export type JsonSchema = { [key: string]: unknown };

/**
 * Context injected into tools by the caller; never shown to the model.
 *
 * @example { sessionId: 'user-42', scope: { db }, extra: { locale: 'fr' } }
 */
export interface RunContext {
  sessionId?: string;
  /** Host objects the tools need (database handles, bot objects, …). */
  scope: Record<string, unknown>;
  /** Free-form values. */
  extra: Record<string, unknown>;
  /** Aborted when the call is aborted or its deadline passes. */
  signal?: AbortSignal;
}

/** The structured error a failed tool call sends back to the model (snake_case: it is model-facing). */
export interface ToolError {
  error_type: 'InvalidArguments' | 'ToolNotFound' | 'ExecutionError';
  message: string;
  is_retryable: boolean;
  /** For `InvalidArguments`: the validation issues by path. */
  issues?: { path: string; message: string }[];
}

/** Result of validating a tool call's arguments. */
export type ToolArgumentsCheck<TArgs> =
  | { ok: true; value: TArgs }
  | { ok: false; issues: { path: string; message: string }[] };

/**
 * A function the model may call. `functionTool({ …zod… })` builds one; a plain
 * `{ name, description, parameters }` object with a JSON Schema is accepted too.
 */
export interface FunctionToolSpec<TArgs = Record<string, unknown>, TOutput = unknown> {
  kind?: 'function';
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: JsonSchema;
  /** Validates (and coerces) raw arguments before `execute`; absent → arguments pass as parsed. */
  validate?(args: unknown): ToolArgumentsCheck<TArgs>;
  /** Absent → the call is returned to the caller in `toolCalls` instead of being run. */
  execute?(args: TArgs, context: RunContext): TOutput | Promise<TOutput>;
  /** Per-tool timeout; a timed-out call reaches the model as an `ExecutionError`. */
  timeoutMs?: number;
  /** Ask providers for strict argument decoding where supported. @default false */
  strict?: boolean;
  /** Prompt-caching breakpoint after this tool's definition (Anthropic); other providers ignore it with a warning. */
  cacheControl?: CacheControl;
}

/** Native tools run by the provider itself (Gemini). */
export interface ProviderToolSpec {
  kind: 'provider';
  /** Which provider family runs it. */
  provider: 'gemini';
  type: 'code_execution' | 'google_search' | 'url_context';
  /** `url_context` only: up to 20 URLs appended to the last user turn. */
  urls?: string[];
}

/** Anything accepted in a `tools` option: tools, or names resolved through tool providers. */
export type ToolSpec = FunctionToolSpec | ProviderToolSpec;
export type ToolInput = ToolSpec | string;

/** How the model may use tools. `{ name }` forces one function. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/**
 * A source of tools resolved by name (MCP servers are one such provider).
 * `discoverTools` is asked again whenever a name is not found, so tools registered later appear.
 */
export interface ToolProvider {
  readonly name: string;
  /** Called once before first use; may do I/O. Failures are logged and isolate this provider. */
  initialize?(): Promise<void>;
  discoverTools(): Promise<FunctionToolSpec[]>;
  getTool?(name: string): Promise<FunctionToolSpec | undefined>;
  close?(): Promise<void>;
}

/** What `ToolInvoker.execute` returns. */
export interface ToolExecution {
  call: LLMToolCall;
  output: unknown;
  error?: ToolError;
}
