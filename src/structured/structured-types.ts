import type { $ZodType, output as ZodOutput } from 'zod/v4/core';
import type { ResolvedModel } from '../config/resolved-config.js';
import type {
  FunctionToolSpec,
  LLMGenerationConfig,
  LLMMessage,
  LLMResponse,
  LLMUsage,
  StreamEvent,
  StructuredOutputStrategy,
  ToolChoice,
} from '../spec/index.js';

/** A zod v4 schema (classic `zod` or `zod/mini`) and the type it parses to. */
export type StructuredSchema = $ZodType;
export type StructuredValue<S extends StructuredSchema> = ZodOutput<S>;

/**
 * One model request of the structured-output engine, as the client must send it.
 *
 * @example { messages: [{ role: 'system', content: '…JSON Schema…' }, { role: 'user', content: 'Parse: 2 apples' }],
 *   config: { output: { structuredOutputStrategy: 'prompt' } } }
 */
export interface StructuredModelCall {
  /** The whole conversation to send: the caller's messages, the structured-output system text, and re-ask turns. */
  messages: LLMMessage[];
  /**
   * The generation settings to send as they are (the caller's `config` with the `output` settings of the
   * chosen strategy; already merged and copied, the client may merge model defaults under it).
   */
  config: LLMGenerationConfig;
  /** `tool_call` strategy only: the one function tool `return_structured_response`, without `execute`. */
  tools?: FunctionToolSpec[];
  /** `tool_call` strategy only: `{ name: 'return_structured_response' }`. */
  toolChoice?: ToolChoice;
  /** The caller's signal; the client passes it to the pipeline. */
  signal?: AbortSignal;
  /**
   * With `toolsFirst`: the runner calls this with the tool rounds its automatic loop ran before the answer
   * (assistant tool-call turns and tool results, in order), so a re-ask keeps them in the conversation.
   */
  onToolRounds?: (messages: LLMMessage[]) => void;
}

/** A streamed model request: its events, and the final response (rejects with the stream's `LLMError`). */
export type StructuredModelStream = AsyncIterable<StreamEvent> & { readonly response: Promise<LLMResponse> };

/**
 * How the engine talks to a model. The client builds one per call, bound to the resolved model.
 * Without `toolsFirst` it must not run the automatic tool loop; with it, it runs the caller's tools (the
 * structured tool has no `execute`, so its call always comes back in `toolCalls` and ends the loop).
 */
export interface StructuredRunner {
  /** The model the requests go to; its `capabilities` and `dialect` decide the strategy. */
  model: ResolvedModel;
  /**
   * One model request. Transport retries (and key rotation) happen inside it and never spend the
   * validation budget; whatever it throws propagates out of the engine unchanged.
   */
  call(request: StructuredModelCall): Promise<LLMResponse>;
  /** One streamed model request (for `streamStructured`); absent → `streamStructured` uses `call`. */
  stream?(request: StructuredModelCall): StructuredModelStream;
}

/** One problem with an answer. `path` is `items[0].qty` style; `''` is the whole answer. */
export interface StructuredIssue {
  path: string;
  message: string;
}

/** Options of `generateStructured` and `streamStructured`. */
export interface StructuredOptions<T = unknown> {
  /**
   * How the output is obtained. Unset → `config.output.structuredOutputStrategy`, else as
   * the model's provider definition decides (`StructuredOutputSupport`): `native` when the type has it and
   * `capabilities.jsonSchema`, else the type's fallback, else `tool_call` or `prompt`. `native` on a type
   * without it is an `INVALID_PARAMETER`.
   */
  strategy?: StructuredOutputStrategy;
  /**
   * `prompt` strategy only: also switch the provider's JSON mode on (`response_format: json_object`,
   * Gemini `responseMimeType: application/json`). @default the definition's `structuredOutput.jsonMode`
   * (built in: `deepseek`, `zhipu`, `ark`), else false
   */
  jsonMode?: boolean;
  /** Re-asks after the first answer when it cannot be parsed or validated (so at most 1 + N requests). @default 2 (config `structuredRetries`) */
  maxValidationRetries?: number;
  /** Extra check of a parsed, valid value; throw to reject it (the error message is sent back as the issue). */
  validationCallback?: (value: T) => void | Promise<void>;
  /**
   * Re-ask message. `{error}` (or `{error_msg}`, as in the seed) is replaced by the issues, one per line;
   * every other brace is left alone. Without a placeholder the issues are appended after a blank line.
   * @default the built-in template of `errorPromptLocale`
   */
  errorPromptTemplate?: string;
  /** Language of the built-in re-ask template. @default promptLocale */
  errorPromptLocale?: 'en' | 'zh';
  /** Language of the built-in instructions (schema, tool, AutoCoT texts). @default 'en' */
  promptLocale?: 'en' | 'zh';
  /**
   * AutoCoT: for models without native reasoning (`capabilities.reasoningMode === 'none'`) and a config that
   * asks for none, wrap the schema as `{ reasoning, result }` and return `result`. @default false
   */
  autoThinking?: boolean;
  /** System instruction added before the structured-output instructions. */
  instruction?: string;
  /** Generation settings; the output settings of the strategy replace `config.output.responseFormat/responseSchema/responseMimeType`. */
  config?: LLMGenerationConfig;
  /** `native`: the schema name given to the definition's builder (OpenAI family: `json_schema.name`). @default 'structured_response' */
  schemaName?: string;
  signal?: AbortSignal;
  /**
   * The runner runs the caller's tools before the structured answer (the client sets it when the call has
   * `tools`). The default strategy is then `tool_call` for models that call tools (the structured tool joins
   * the caller's, and `toolChoice` `required` replaces forcing it, so the model may call the others first);
   * with `native` or `prompt` the tool rounds carry the strategy's settings and the final text answer is read.
   * @default false
   */
  toolsFirst?: boolean;
}

/** What `generateStructured` returns. */
export interface StructuredResult<T> {
  /** The validated value (with the schema's transforms and defaults applied). */
  value: T;
  /** The last model response (the one that gave `value`). */
  response: LLMResponse;
  /** Model requests made (1 + re-asks). */
  attempts: number;
  strategy: StructuredOutputStrategy;
  /** Provider JSON mode was on (`prompt` strategy with JSON mode). */
  jsonMode: boolean;
  /** `native` requests were sent in the provider's strict mode (OpenAI family: `strict: true`). */
  strict: boolean;
  /** The last answer needed local repair (fences, prose, trailing commas, truncation…). */
  repaired: boolean;
  /** AutoCoT: the model's `reasoning` field. */
  reasoning?: string;
  /** Usage summed over all requests (absent when no response carried usage). */
  usage?: LLMUsage;
  /** Engine notes (non-strict schema, replaced output settings) followed by the last response's warnings. */
  warnings: string[];
}

/** A partial value: every property optional, recursively. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends Date | Uint8Array
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/**
 * An event of `streamStructured`:
 * - `partial`: the best value parsed so far from this attempt's answer (not validated; emitted only when it
 *   changed). `delta` is the text that arrived; `text` the answer so far (joined when first read, so read it
 *   sparingly or accumulate `delta`s).
 * - `restart`: the answer of attempt `attempt - 1` failed (`issues`); a re-ask started and the next partials
 *   begin again from nothing.
 */
export type PartialStructured<T> =
  | {
      type: 'partial';
      partial: DeepPartial<T>;
      delta: string;
      readonly text: string;
      /** The request (1-based) this answer belongs to. */
      attempt: number;
      /** AutoCoT: the `reasoning` field so far. */
      reasoning?: string;
    }
  | { type: 'restart'; attempt: number; issues: StructuredIssue[] };

/** What `streamStructured` returns: iterate for partials (one iterator), await `value` for the final value. */
export interface StructuredStream<T> extends AsyncIterable<PartialStructured<T>> {
  /** The validated final value; rejects like `generateStructured`. */
  readonly value: Promise<T>;
  /** The same, with the details `generateStructured` returns. */
  readonly result: Promise<StructuredResult<T>>;
}
