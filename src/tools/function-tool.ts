import type { $ZodType, output } from 'zod/v4/core';
import type { CacheControl, FunctionToolSpec, RunContext } from '../spec/index.js';
import { checkToolDefinitionFields, markNormalized } from './normalize-tool.js';
import { checkToolName, objectParameters, toolDefinitionError, zodValidator } from './tool-definition.js';

/**
 * What `functionTool` takes.
 * @example { name: 'get_weather', description: 'Current weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => lookUp(city) }
 */
export interface FunctionToolOptions<S extends $ZodType<Record<string, unknown>>, O> {
  /** What the model calls: 1–64 letters, digits, `_` or `-`. */
  name: string;
  /** What the tool does; the model reads it to decide when to call. */
  description?: string;
  /** zod object schema of the arguments; the model sees its JSON Schema (descriptions kept, refs inlined). */
  parameters: S;
  /**
   * Runs the tool with the validated (and coerced) arguments and the caller's `RunContext` (never shown to
   * the model; its `signal` aborts on the caller's abort, the call deadline and `timeoutMs`). Whatever it
   * returns goes back to the model (JSON-serialisable values; strings as is). Absent → the call is returned
   * to the caller in `toolCalls`.
   */
  execute?: (args: output<S>, context: RunContext) => O | Promise<O>;
  /** Most time one run may take; past it the model gets an `ExecutionError` "timed out". @default none */
  timeoutMs?: number;
  /** Ask providers for strict argument decoding where supported (OpenAI). @default false */
  strict?: boolean;
  /** Prompt-caching breakpoint after this tool (Anthropic `cache_control`); others warn. @example { type: 'ephemeral' } */
  cacheControl?: CacheControl;
}

/**
 * A function tool from a zod schema: the model sees the schema's JSON Schema, arguments are validated with
 * `safeParse` before `execute`, and `execute` receives the typed value.
 *
 * @throws LLMError `INVALID_PARAMETER` naming the tool and field: a name outside `^[a-zA-Z0-9_-]{1,64}$`,
 *   parameters that are not an object schema (or cannot become JSON Schema), a bad `timeoutMs`.
 * @example
 * const weather = functionTool({
 *   name: 'get_weather', description: 'Current weather for a city',
 *   parameters: z.object({ city: z.string().describe('City name') }),
 *   execute: async ({ city }, ctx) => ({ tempC: 21, city }),
 * });
 */
export function functionTool<S extends $ZodType<Record<string, unknown>>, O = unknown>(
  options: FunctionToolOptions<S, O>,
): FunctionToolSpec<output<S>, Awaited<O>> {
  checkToolName(options.name);
  const { name } = options;
  if (
    options.parameters == null ||
    typeof options.parameters !== 'object' ||
    !('_zod' in options.parameters)
  ) {
    throw toolDefinitionError(
      name,
      'parameters',
      'must be a zod object schema (z.object({ … })); for a JSON Schema pass a plain { name, description, parameters } tool',
    );
  }
  checkToolDefinitionFields(name, options);
  const spec: FunctionToolSpec<output<S>, Awaited<O>> = {
    kind: 'function',
    name,
    parameters: objectParameters(name, options.parameters),
    validate: zodValidator<output<S>>(options.parameters),
  };
  if (options.description !== undefined) spec.description = options.description;
  if (options.execute !== undefined) {
    spec.execute = options.execute as FunctionToolSpec<output<S>, Awaited<O>>['execute'];
  }
  if (options.timeoutMs !== undefined) spec.timeoutMs = options.timeoutMs;
  if (options.strict !== undefined) spec.strict = options.strict;
  if (options.cacheControl !== undefined) spec.cacheControl = options.cacheControl;
  return markNormalized(spec);
}
