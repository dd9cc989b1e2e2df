import type { $ZodType } from 'zod/v4/core';
import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { hasOpenObjects } from '../providers/anthropic/anthropic-schema.js';
import { toOpenAIStrictSchema } from '../providers/openai/openai-strict-schema.js';
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

/** Dialects whose JSON mode (`json_object`) is documented, used by `prompt` when `jsonMode` is unset. */
const JSON_MODE_DIALECTS: ReadonlySet<string> = new Set(['deepseek', 'zhipu']);
/** Key a non-object answer is wrapped in where the wire needs an object root (OpenAI schemas, tool arguments). */
export const ROOT_KEY = 'value';
const STRATEGIES: readonly StructuredOutputStrategy[] = ['native', 'tool_call', 'prompt'];
const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Everything decided once per structured call: what to send and how to read the answer. */
export interface StructuredPlan {
  strategy: StructuredOutputStrategy;
  jsonMode: boolean;
  /** `native` on an OpenAI-family dialect with `strict: true`. */
  strict: boolean;
  autoCoT: boolean;
  /** What the answer is validated against: the caller's schema, or its AutoCoT wrapper. */
  target: $ZodType;
  /** The answer is `{ value: … }` (non-object schemas where the wire needs an object root). */
  rootWrapped: boolean;
  /** Strict `native`: optional properties the model answers with `null` (see `restoreOptionalFields`). */
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
 * Chooses the strategy and builds its request settings (see `StructuredOptions.strategy`):
 * - `native`, OpenAI family: `responseFormat: { type: 'json_schema', json_schema: { name, schema, strict } }`,
 *   strict only when `toOpenAIStrictSchema` can express the schema (records/maps keep it open: non-strict);
 * - `native`, Gemini: `responseMimeType: 'application/json'` + `responseSchema`;
 * - `native`, Anthropic: `responseSchema` (sent as `output_config.format`), non-object roots wrapped;
 * - `tool_call`: one forced function tool `return_structured_response` whose parameters are the schema;
 * - `prompt`: the schema in the system prompt; with JSON mode, `responseFormat: 'json'` (no schema sent).
 */
export function planStructured(
  model: ResolvedModel,
  schema: $ZodType,
  options: StructuredOptions<never>,
): StructuredPlan {
  const locale: PromptLocale = options.promptLocale ?? 'en';
  let strategy = chooseStrategy(model, options);
  const autoCoT = shouldApplyAutoCoT(options.autoThinking, model.capabilities, options.config);
  const target = autoCoT ? wrapWithCoT(schema, locale) : schema;
  const jsonSchema = toJsonSchema(target);
  // Anthropic's native output closes every object: a schema with maps (records) goes through a tool instead.
  const chosen = options.strategy ?? options.config?.output?.structuredOutputStrategy;
  if (
    strategy === 'native' &&
    model.dialect === 'anthropic' &&
    chosen == null &&
    hasOpenObjects(jsonSchema)
  ) {
    strategy = 'tool_call';
  }
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
      if (model.dialect === 'gemini') {
        plan.output = {
          structuredOutputStrategy: 'native',
          responseMimeType: 'application/json',
          responseSchema: jsonSchema,
        };
      } else if (model.dialect === 'anthropic') {
        // Anthropic's output_config.format takes an object root only.
        plan.rootWrapped = !isObjectRoot(jsonSchema);
        const responseSchema = plan.rootWrapped ? wrapRoot(jsonSchema) : jsonSchema;
        plan.output = { structuredOutputStrategy: 'native', responseSchema };
      } else {
        planOpenAINative(plan, jsonSchema, options.schemaName ?? 'structured_response');
      }
      break;
    case 'tool_call': {
      plan.rootWrapped = !isObjectRoot(jsonSchema);
      const parameters = plan.rootWrapped ? wrapRoot(jsonSchema) : jsonSchema;
      plan.tools = [
        { name: STRUCTURED_TOOL_NAME, description: 'Submit the structured response.', parameters },
      ];
      plan.toolChoice = { name: STRUCTURED_TOOL_NAME };
      strategyText = toolInstruction(locale);
      break;
    }
    case 'prompt':
      plan.jsonMode = options.jsonMode ?? JSON_MODE_DIALECTS.has(model.dialect);
      // JSON mode without a schema: json_object (OpenAI family) / application/json (Gemini).
      plan.output = plan.jsonMode ? { responseFormat: 'json' } : { structuredOutputStrategy: 'prompt' };
      strategyText = schemaInstruction(jsonSchema, locale);
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
  const requested = options.strategy ?? options.config?.output?.structuredOutputStrategy;
  if (requested != null) {
    if (!STRATEGIES.includes(requested)) {
      throw new LLMError('INVALID_PARAMETER', `strategy: must be one of ${STRATEGIES.join(', ')}`, {
        details: { path: 'strategy' },
      });
    }
    return requested;
  }
  if (model.capabilities.jsonSchema) return 'native';
  // Anthropic has no JSON mode: a forced tool call is its reliable structured answer.
  return model.dialect === 'anthropic' ? 'tool_call' : 'prompt';
}

function planOpenAINative(plan: StructuredPlan, jsonSchema: JsonSchema, name: string): void {
  if (!SCHEMA_NAME.test(name)) {
    throw new LLMError('INVALID_PARAMETER', 'schemaName: 1–64 letters, digits, _ or -', {
      details: { path: 'schemaName' },
    });
  }
  plan.rootWrapped = !isObjectRoot(jsonSchema);
  const converted = toOpenAIStrictSchema(plan.rootWrapped ? wrapRoot(jsonSchema) : jsonSchema);
  plan.strict = converted.strict;
  if (converted.strict) plan.optionalPaths = converted.optionalPaths;
  else
    plan.warnings.push(
      `structured output sent without strict mode: ${converted.reason ?? 'not expressible'}`,
    );
  plan.output = {
    structuredOutputStrategy: 'native',
    responseFormat: {
      type: 'json_schema',
      json_schema: { name, schema: converted.schema, strict: converted.strict },
    },
  };
}

function isObjectRoot(schema: JsonSchema): boolean {
  return schema.type === 'object' && schema.anyOf == null && schema.oneOf == null;
}

function wrapRoot(schema: JsonSchema): JsonSchema {
  return { type: 'object', properties: { [ROOT_KEY]: schema }, required: [ROOT_KEY] };
}
