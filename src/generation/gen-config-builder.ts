import { copyPlain, setOwn } from '../schema/copy-plain.js';
import { type SchemaInput, toJsonSchema } from '../schema/to-json-schema.js';
import type {
  CoreConfig,
  LLMGenerationConfig,
  OutputConfig,
  ProviderToolSpec,
  ReasoningEffort,
  StructuredOutputStrategy,
  ToolConfig,
  VisualConfig,
} from '../spec/index.js';
import { type ConfigIssue, failOnIssues } from './field-checks.js';
import { addNativeTool } from './merge-generation-config.js';
import { checkProviderTool } from './native-tools.js';
import {
  type ComponentName,
  checkComponent,
  validateGenerationConfig,
} from './validate-generation-config.js';

/** `toolChoice` modes: the config's `AUTO`/`ANY`/`NONE` in any casing, or OpenAI's `required` (= `ANY`). */
export type ToolModeInput =
  | NonNullable<ToolConfig['mode']>
  | Lowercase<NonNullable<ToolConfig['mode']>>
  | 'required';

type Modality = NonNullable<OutputConfig['responseModalities']>[number];

/**
 * Builds an `LLMGenerationConfig` fluently. Every method checks its arguments at once (bad values throw
 * `LLMError('INVALID_PARAMETER')` naming the field) and returns the builder; `build()` returns a fresh deep
 * copy each time, so later builder calls never change configs already built.
 *
 * @example
 * const config = new GenConfigBuilder()
 *   .configCore({ temperature: 0.2, maxTokens: 800 })
 *   .asJson(z.object({ title: z.string() }))
 *   .effort('low')
 *   .build();
 */
export class GenConfigBuilder {
  private config: LLMGenerationConfig = {};

  /** A builder starting from a (validated) copy of `config`. */
  static from(config: LLMGenerationConfig): GenConfigBuilder {
    const builder = new GenConfigBuilder();
    builder.config = copyPlain(validateGenerationConfig(config));
    return builder;
  }

  /**
   * Ask for JSON: `output.responseFormat = 'json'`, and with a schema (zod or JSON Schema, converted and
   * `$ref`-inlined) `output.responseSchema`.
   */
  asJson(schema?: SchemaInput): this {
    const output: OutputConfig = { responseFormat: 'json' };
    if (schema !== undefined) output.responseSchema = toJsonSchema(schema);
    return this.apply('output', output);
  }

  /**
   * Thinking budget (Gemini 2.5): −1 dynamic, 0 off, n tokens, or a fraction 0<x<1 of 32768;
   * `showThoughts` asks for thought summaries.
   */
  enableThinking(budgetTokens = -1, showThoughts = false): this {
    return this.apply('reasoning', { budgetTokens, showThoughts });
  }

  /** Reasoning effort `minimal`/`low`/`medium`/`high` (any casing). */
  effort(level: ReasoningEffort | Uppercase<ReasoningEffort>): this {
    return this.apply('reasoning', { effort: level });
  }

  /** Sets the sampling fields given (fields left `undefined` keep their current value). */
  configCore(core: CoreConfig): this {
    return this.apply('core', core);
  }

  /** Sets the image/media fields given (fields left `undefined` keep their current value). */
  configVisual(visual: VisualConfig): this {
    return this.apply('visual', visual);
  }

  /** Replaces the safety settings (category → threshold). */
  configSafety(settings: Record<string, string>): this {
    this.apply('safety', { safetySettings: settings });
    return this;
  }

  /** Replaces the tool config: `mode` (`AUTO`, `ANY`/`required`, `NONE`) and, with `ANY`, the allowed functions. */
  toolChoice(mode: ToolModeInput, names?: readonly string[]): this {
    const toolConfig = { mode, ...(names !== undefined ? { allowedFunctionNames: names } : {}) };
    delete this.config.toolConfig;
    return this.apply('toolConfig', toolConfig);
  }

  /** Output modalities (`TEXT`, `IMAGE`, `AUDIO`, any casing). */
  modalities(modalities: readonly (Modality | Lowercase<Modality>)[]): this {
    return this.apply('output', { responseModalities: modalities });
  }

  /** How structured output is obtained: `native`, `tool_call` or `prompt`. */
  strategy(strategy: StructuredOutputStrategy): this {
    return this.apply('output', { structuredOutputStrategy: strategy });
  }

  /** A vendor-specific body field (copied); `undefined` removes it. */
  setCustomParam(key: string, value: unknown): this {
    if (typeof key !== 'string' || key === '') {
      failOnIssues(
        [{ path: 'customParams', message: 'key must be a non-empty string' }],
        'generation config',
      );
    }
    const params = { ...(this.config.customParams ?? {}) };
    if (value === undefined) delete params[key];
    else setOwn(params, key, copyPlain(value));
    this.config.customParams = params;
    return this;
  }

  /** Attaches a provider tool (`geminiCodeExecution()`, …); one of the same type is replaced. */
  nativeTool(spec: ProviderToolSpec): this {
    const issues: ConfigIssue[] = [];
    checkProviderTool(spec, 'config.nativeTools[]', issues);
    failOnIssues(issues, 'generation config');
    const tools = [...(this.config.nativeTools ?? [])];
    addNativeTool(tools, spec);
    this.config.nativeTools = tools;
    return this;
  }

  /** A fresh deep copy of the config built so far. */
  build(): LLMGenerationConfig {
    return copyPlain(this.config);
  }

  /** Checks the set fields of `fields` as component `name` and merges (copies of) them into it. */
  private apply(name: ComponentName, fields: object): this {
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) if (value != null) setOwn(given, key, value);
    const issues: ConfigIssue[] = [];
    const checked = checkComponent(name, given, `config.${name}`, issues);
    failOnIssues(issues, 'generation config');
    const target = this.config as Record<string, unknown>;
    target[name] = { ...(target[name] as object | undefined), ...copyPlain(checked) };
    return this;
  }
}
