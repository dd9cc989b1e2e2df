import type { $ZodType } from 'zod/v4/core';
import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { isObjectRoot, wrapRoot } from '../schema/root-wrap.js';
import { toJsonSchema } from '../schema/to-json-schema.js';
import type {
  FunctionToolSpec,
  JsonSchema,
  OutputConfig,
  StructuredOutputStrategy,
  ToolChoice,
} from '../spec/index.js';
import { shouldApplyAutoCoT, wrapWithCoT } from './auto-cot.js';
import {
  autoCoTTexts,
  defaultErrorPrompt,
  type PromptLocale,
  STRUCTURED_TOOL_NAME,
  schemaInstruction,
  toolInstruction,
} from './structured-prompts.js';
import type { StructuredOptions } from './structured-types.js';

export { ROOT_KEY } from '../schema/root-wrap.js';

const STRATEGIES: readonly StructuredOutputStrategy[] = ['native', 'tool_call', 'prompt'];
const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Everything decided once per structured call: what to send and how to read the answer. */
export interface StructuredPlan {
  strategy: StructuredOutputStrategy;
  jsonMode: boolean;
  /** `native` sent in the provider's strict mode. */
  strict: boolean;
  autoCoT: boolean;
  /** What the answer is validated against: the caller's schema, or its AutoCoT wrapper. */
  target: $ZodType;
  /** The answer is `{ value: … }` (non-object schemas where the wire needs an object root). */
  rootWrapped: boolean;
  /** Strict `native`: optional properties the model answers with `null` (see `schema/optional-paths.ts`). */
  optionalPaths: string[];
  /** Output settings of the strategy (replace the caller's format settings). */
  output: OutputConfig;
  tools?: FunctionToolSpec[];
  toolChoice?: ToolChoice;
  /** Added to the system prompt: the caller's instruction, the AutoCoT instruction, the strategy's text. */
  systemText: string;
  errorTemplate: string;
  warnings: string[];
}

/**
 * Chooses the strategy (see `StructuredOutputSupport` of the model's definition) and builds its
 * request settings:
 * - `native`: what the definition's `structuredOutput.native` returns for the JSON Schema;
 * - `tool_call`: one forced function tool `return_structured_response` whose parameters are the schema;
 * - `prompt`: the schema in the system prompt; with JSON mode, `responseFormat: 'json'` (no schema sent).
 */
export function planStructured(
  model: ResolvedModel,
  schema: $ZodType,
  options: StructuredOptions<never>,
): StructuredPlan {
  const locale: PromptLocale = options.promptLocale ?? 'en';
  const strategy = chooseStrategy(model, options);
  const autoCoT = shouldApplyAutoCoT(options.autoThinking, model.capabilities, options.config);
  const target = autoCoT ? wrapWithCoT(schema, locale) : schema;
  const jsonSchema = toJsonSchema(target);
  const plan: StructuredPlan = {
    strategy,
    jsonMode: false,
    strict: false,
    autoCoT,
    target,
    rootWrapped: false,
    optionalPaths: [],
    output: { structuredOutputStrategy: strategy },
    systemText: '',
    errorTemplate:
      options.errorPromptTemplate ??
      defaultErrorPrompt(options.errorPromptLocale ?? locale, strategy === 'tool_call'),
    warnings: [],
  };
  let strategyText = '';
  switch (strategy) {
    case 'native':
      if (planNative(plan, model, jsonSchema, options.schemaName ?? 'structured_response')) break;
      plan.strategy = fallbackStrategy(model);
      plan.warnings.push(
        `${model.fullName}: this schema has no native structured output on apiType ${model.apiType}; sent with strategy ${plan.strategy}`,
      );
      plan.errorTemplate =
        options.errorPromptTemplate ??
        defaultErrorPrompt(options.errorPromptLocale ?? locale, plan.strategy === 'tool_call');
      plan.output = { structuredOutputStrategy: plan.strategy };
      strategyText =
        plan.strategy === 'tool_call'
          ? planToolCall(plan, jsonSchema, locale, options.toolsFirst === true)
          : planPrompt(plan, model, jsonSchema, options, locale);
      break;
    case 'tool_call':
      strategyText = planToolCall(plan, jsonSchema, locale, options.toolsFirst === true);
      break;
    case 'prompt':
      strategyText = planPrompt(plan, model, jsonSchema, options, locale);
      break;
    default: {
      const unreachable: never = strategy;
      return unreachable;
    }
  }
  const cot = autoCoT ? autoCoTTexts(locale).instruction : undefined;
  plan.systemText = [options.instruction, cot, strategyText]
    .filter((text) => text != null && text !== '')
    .join('\n\n');
  return plan;
}

function chooseStrategy(model: ResolvedModel, options: StructuredOptions<never>): StructuredOutputStrategy {
  const support = model.definition.structuredOutput;
  const requested = options.strategy ?? options.config?.output?.structuredOutputStrategy;
  if (requested != null) {
    if (!STRATEGIES.includes(requested)) {
      throw new LLMError('INVALID_PARAMETER', `strategy: must be one of ${STRATEGIES.join(', ')}`, {
        details: { path: 'strategy' },
      });
    }
    if (requested === 'native' && support?.native == null) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `strategy: apiType ${model.apiType} has no native structured output (${model.fullName}); use 'tool_call' or 'prompt'`,
        { details: { path: 'strategy' }, provider: model.provider.name, model: model.fullName },
      );
    }
    return requested;
  }
  // With the caller's tools, the structured answer is one more tool: every provider can mix it with the
  // others, while a JSON-schema response mode and function calling in one request is not (Gemini before 3).
  if (options.toolsFirst === true && model.capabilities.toolCalling) return 'tool_call';
  if (support?.native != null && model.capabilities.jsonSchema) return 'native';
  return fallbackStrategy(model);
}

/** The strategy when `native` does not apply: the type's `fallback`, else by capabilities. */
function fallbackStrategy(model: ResolvedModel): 'tool_call' | 'prompt' {
  const { jsonSchema, toolCalling } = model.capabilities;
  const fallback = model.definition.structuredOutput?.fallback ?? (jsonSchema ? 'tool_call' : 'prompt');
  return fallback === 'tool_call' && !toolCalling ? 'prompt' : fallback;
}

/**
 * `tool_call`: one function tool whose parameters are the schema, forced (with the caller's tools, `required`:
 * some tool each round, the structured one to finish); returns the system text.
 */
function planToolCall(
  plan: StructuredPlan,
  jsonSchema: JsonSchema,
  locale: PromptLocale,
  toolsFirst: boolean,
): string {
  plan.rootWrapped = !isObjectRoot(jsonSchema);
  const parameters = plan.rootWrapped ? wrapRoot(jsonSchema) : jsonSchema;
  plan.tools = [{ name: STRUCTURED_TOOL_NAME, description: 'Submit the structured response.', parameters }];
  plan.toolChoice = toolsFirst ? 'required' : { name: STRUCTURED_TOOL_NAME };
  return toolInstruction(locale, toolsFirst);
}

/** `prompt`: the schema in the system prompt, with the provider's JSON mode where declared. */
function planPrompt(
  plan: StructuredPlan,
  model: ResolvedModel,
  jsonSchema: JsonSchema,
  options: StructuredOptions<never>,
  locale: PromptLocale,
): string {
  plan.jsonMode = options.jsonMode ?? model.definition.structuredOutput?.jsonMode === true;
  // JSON mode without a schema: json_object (OpenAI family) / application/json (Gemini).
  plan.output = plan.jsonMode ? { responseFormat: 'json' } : { structuredOutputStrategy: 'prompt' };
  return schemaInstruction(jsonSchema, locale);
}

function planNative(
  plan: StructuredPlan,
  model: ResolvedModel,
  jsonSchema: JsonSchema,
  name: string,
): boolean {
  if (!SCHEMA_NAME.test(name)) {
    throw new LLMError('INVALID_PARAMETER', 'schemaName: 1–64 letters, digits, _ or -', {
      details: { path: 'schemaName' },
    });
  }
  // chooseStrategy guarantees a native builder; it may still decline this schema.
  const native = model.definition.structuredOutput?.native?.(jsonSchema, { name, model });
  if (native == null) return false;
  plan.output = { ...native.output, structuredOutputStrategy: 'native' };
  plan.rootWrapped = native.rootWrapped === true;
  plan.strict = native.strict === true;
  plan.optionalPaths = native.optionalPaths ?? [];
  if (native.warnings != null) plan.warnings.push(...native.warnings);
  return true;
}
