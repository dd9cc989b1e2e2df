import { safeParseAsync } from 'zod/v4/core';
import { LLMError } from '../errors/llm-error.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import { copyPlain } from '../schema/copy-plain.js';
import { isZodSchema } from '../schema/is-zod-schema.js';
import { restoreOptionalFields } from '../schema/optional-paths.js';
import type { AttemptRecord, LLMMessage, LLMResponse, LLMToolCall, LLMUsage } from '../spec/index.js';
import { addUsage } from '../util/add-usage.js';
import { isRecord } from '../util/safe-json.js';
import { issuesFromZod, renderIssues } from './format-issues.js';
import { parseJsonAnswer } from './repair-json.js';
import { assistantTurn, withSystemText } from './structured-messages.js';
import { planStructured, ROOT_KEY, type StructuredPlan } from './structured-plan.js';
import { renderErrorPrompt, STRUCTURED_TOOL_NAME } from './structured-prompts.js';
import type {
  StructuredIssue,
  StructuredModelCall,
  StructuredOptions,
  StructuredResult,
  StructuredRunner,
  StructuredSchema,
} from './structured-types.js';

/** The outcome of reading one answer. */
export type CheckedAnswer<T> =
  | { ok: true; value: T; reasoning?: string; repaired: boolean }
  | { ok: false; issues: StructuredIssue[]; answer: string };

const DEFAULT_RETRIES = 2;
const OUTPUT_FORMAT_FIELDS = [
  'responseFormat',
  'responseSchema',
  'responseMimeType',
  'structuredOutputStrategy',
] as const;

/**
 * State of one structured call, shared by `generateStructured` and `streamStructured`: the plan, the growing
 * conversation, the request count and budget, and reading answers (local repair, optional-field restore,
 * zod validation, AutoCoT unwrap, `validationCallback`).
 */
export class StructuredRun<T> {
  readonly plan: StructuredPlan;
  /** Model requests made so far. */
  attempts = 0;
  private readonly messages: LLMMessage[];
  private readonly config: StructuredModelCall['config'];
  private readonly maxRetries: number;
  private readonly httpAttempts: AttemptRecord[] = [];
  private usage: LLMUsage | undefined;
  /** `toolsFirst`: the tool rounds the runner ran before the last answer (kept for a re-ask). */
  private toolRounds: LLMMessage[] = [];

  constructor(
    private readonly runner: StructuredRunner,
    messages: readonly LLMMessage[],
    schema: StructuredSchema,
    private readonly options: StructuredOptions<T>,
  ) {
    if (!isZodSchema(schema)) {
      throw new LLMError('INVALID_PARAMETER', 'schema: must be a zod v4 schema', {
        details: { path: 'schema' },
      });
    }
    if (!Array.isArray(messages)) {
      throw new LLMError('INVALID_PARAMETER', 'messages: must be an array of LLMMessage', {
        details: { path: 'messages' },
      });
    }
    const retries = options.maxValidationRetries ?? DEFAULT_RETRIES;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new LLMError('INVALID_PARAMETER', 'maxValidationRetries: must be an integer ≥ 0', {
        details: { path: 'maxValidationRetries' },
      });
    }
    this.maxRetries = retries;
    this.plan = planStructured(runner.model, schema, options as StructuredOptions<never>);
    this.messages = withSystemText(messages, this.plan.systemText);
    this.config = this.buildConfig();
  }

  /** The next request; counts it. Throws `ABORTED` when the signal fired. */
  nextRequest(): StructuredModelCall {
    const signal = this.options.signal;
    if (signal?.aborted === true) {
      throw new LLMError('ABORTED', 'The structured-output call was aborted', { cause: signal.reason });
    }
    this.attempts++;
    const request: StructuredModelCall = { messages: [...this.messages], config: copyPlain(this.config) };
    if (this.plan.tools != null) request.tools = this.plan.tools;
    if (this.plan.toolChoice != null) request.toolChoice = this.plan.toolChoice;
    if (signal != null) request.signal = signal;
    this.toolRounds = [];
    if (this.options.toolsFirst === true) {
      request.onToolRounds = (messages) => {
        this.toolRounds = [...messages];
      };
    }
    return request;
  }

  /** Whether a failed answer may be re-asked. */
  canRetry(): boolean {
    return this.attempts <= this.maxRetries;
  }

  /** Reads `response` as the structured value (no request is made). */
  async check(response: LLMResponse): Promise<CheckedAnswer<T>> {
    this.record(response);
    const { plan } = this;
    const toolCall = plan.strategy === 'tool_call' ? findStructuredCall(response) : undefined;
    const answer = toolCall != null ? argumentsText(toolCall) : response.text;
    const notCalled: StructuredIssue[] =
      plan.strategy === 'tool_call' && toolCall == null
        ? [
            {
              path: '',
              message: `The tool \`${STRUCTURED_TOOL_NAME}\` was not called; call it with the data as arguments.`,
            },
          ]
        : [];
    const fail = (issues: StructuredIssue[]): CheckedAnswer<T> => {
      const all = [...notCalled, ...issues];
      if (response.finishReason === 'length') {
        all.push({
          path: '',
          message: 'The answer was cut off at the output token limit; answer more concisely.',
        });
      }
      return { ok: false, issues: all, answer };
    };
    if (answer.trim() === '' && notCalled.length > 0) return fail([]);

    const parsed = parseJsonAnswer(answer);
    if (!parsed.ok) return fail([{ path: '', message: parsed.message }]);
    let raw = parsed.value;
    if (plan.optionalPaths.length > 0) raw = restoreOptionalFields(raw, plan.optionalPaths);
    // A wrapped root is unwrapped; a model that answered the bare value is accepted too.
    const wrapped = plan.rootWrapped && isRecord(raw) && Object.hasOwn(raw, ROOT_KEY);
    if (wrapped) raw = (raw as Record<string, unknown>)[ROOT_KEY];

    const result = await safeParseAsync(plan.target, raw);
    if (!result.success) return fail(issuesFromZod(result.error.issues, wrapped ? [ROOT_KEY] : []));
    let value = result.data as T;
    let reasoning: string | undefined;
    if (plan.autoCoT) {
      const envelope = result.data as { reasoning: string; result: T };
      reasoning = envelope.reasoning;
      value = envelope.result;
    }
    if (this.options.validationCallback != null) {
      try {
        await this.options.validationCallback(value);
      } catch (error) {
        return fail([{ path: '', message: error instanceof Error ? error.message : String(error) }]);
      }
    }
    return reasoning === undefined
      ? { ok: true, value, repaired: parsed.repaired }
      : { ok: true, value, reasoning, repaired: parsed.repaired };
  }

  /**
   * Appends the re-ask turns: the model's answer as an assistant turn, then the issues (a `tool` turn
   * answering the structured tool call in `tool_call`, else a `user` turn).
   */
  addFeedback(response: LLMResponse, issues: readonly StructuredIssue[]): void {
    const prompt = renderErrorPrompt(this.plan.errorTemplate, renderIssues(issues));
    // The tool rounds that led to this answer stay in the conversation (their results are context).
    this.messages.push(...this.toolRounds);
    this.toolRounds = [];
    const calls = this.plan.strategy === 'tool_call' ? response.toolCalls : [];
    const turn = assistantTurn(response, calls.length > 0);
    if (turn != null) this.messages.push(turn);
    if (turn?.toolCalls != null) {
      for (const call of turn.toolCalls) {
        const content =
          call.name === STRUCTURED_TOOL_NAME
            ? prompt
            : this.options.toolsFirst === true
              ? `Not run: \`${call.name}\` was called together with \`${STRUCTURED_TOOL_NAME}\`; call it on its own first if you need it.`
              : `Unknown tool \`${call.name}\`.`;
        this.messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content });
      }
    } else {
      this.messages.push({ role: 'user', content: prompt });
    }
  }

  /** The `RESPONSE_PARSE_ERROR` thrown when the budget is spent. */
  exhausted(failed: { issues: StructuredIssue[]; answer: string }): LLMError {
    const first = renderIssues(failed.issues.slice(0, 1)).slice(2);
    const model = this.runner.model;
    return new LLMError(
      'RESPONSE_PARSE_ERROR',
      `The answer did not match the schema after ${this.attempts} request(s): ${first}`,
      {
        provider: model.provider.name,
        model: model.fullName,
        attempts: [...this.httpAttempts],
        details: { lastAnswer: failed.answer, issues: failed.issues, attempts: this.attempts },
      },
    );
  }

  /**
   * The result. After re-asks, `response` is the last answer with the call's totals (API.md §16): `usage`
   * summed over every request and `attempts` holding every HTTP attempt.
   */
  result(response: LLMResponse, checked: Extract<CheckedAnswer<T>, { ok: true }>): StructuredResult<T> {
    const total: LLMResponse =
      this.attempts > 1 ? { ...response, attempts: [...this.httpAttempts] } : response;
    if (this.attempts > 1) {
      if (this.usage !== undefined) total.usage = this.usage;
      else delete total.usage;
    }
    const out: StructuredResult<T> = {
      value: checked.value,
      response: total,
      attempts: this.attempts,
      strategy: this.plan.strategy,
      jsonMode: this.plan.jsonMode,
      strict: this.plan.strict,
      repaired: checked.repaired,
      warnings: [...this.plan.warnings, ...(response.warnings ?? [])],
    };
    if (checked.reasoning !== undefined) out.reasoning = checked.reasoning;
    if (this.usage !== undefined) out.usage = this.usage;
    return out;
  }

  private buildConfig(): StructuredModelCall['config'] {
    const config = mergeGenerationConfig(this.options.config, undefined);
    const output: Record<string, unknown> = { ...config.output };
    const replaced = OUTPUT_FORMAT_FIELDS.filter(
      (field) => output[field] != null && field !== 'structuredOutputStrategy',
    );
    if (replaced.length > 0) {
      this.plan.warnings.push(
        `config.output.${replaced.join('/')} replaced by the structured-output settings`,
      );
    }
    for (const field of OUTPUT_FORMAT_FIELDS) delete output[field];
    config.output = { ...output, ...this.plan.output };
    return config;
  }

  private record(response: LLMResponse): void {
    if (Array.isArray(response.attempts)) this.httpAttempts.push(...response.attempts);
    if (response.usage != null) this.usage = addUsage(this.usage, response.usage);
  }
}

function findStructuredCall(response: LLMResponse): LLMToolCall | undefined {
  return response.toolCalls?.find((call) => call.name === STRUCTURED_TOOL_NAME);
}

/** The arguments as the model sent them (the dialect's parsed copy when the raw text is missing). */
export function argumentsText(call: LLMToolCall): string {
  return call.rawArguments != null && call.rawArguments !== ''
    ? call.rawArguments
    : JSON.stringify(call.arguments);
}
