import { type $ZodType, safeParse } from 'zod/v4/core';
import { LLMError } from '../errors/llm-error.js';
import { isPlainObject } from '../schema/copy-plain.js';
import { toJsonSchema } from '../schema/to-json-schema.js';
import type { JsonSchema, ToolArgumentsCheck } from '../spec/index.js';
import { formatPath } from '../util/format-path.js';

/** Tool names every provider accepts (OpenAI's rule; Gemini's is looser). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** Schema of a tool without parameters. */
export const EMPTY_PARAMETERS: JsonSchema = { type: 'object', properties: {} };

/** `INVALID_PARAMETER` naming the tool and the field of its definition. */
export function toolDefinitionError(
  tool: string | undefined,
  field: string,
  problem: string,
  cause?: unknown,
): LLMError {
  const who = tool === undefined ? 'tool' : `tool '${tool}'`;
  return new LLMError('INVALID_PARAMETER', `Invalid ${who}: ${field} ${problem}`, {
    details: { ...(tool !== undefined ? { tool } : {}), field },
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Throws unless `name` is a string matching `TOOL_NAME_PATTERN`. */
export function checkToolName(name: unknown): asserts name is string {
  if (typeof name !== 'string') {
    throw toolDefinitionError(undefined, 'name', `must be a string (got ${typeof name})`);
  }
  if (!TOOL_NAME_PATTERN.test(name)) {
    throw toolDefinitionError(
      name,
      'name',
      'must be 1 to 64 letters, digits, underscores or hyphens (^[a-zA-Z0-9_-]{1,64}$)',
    );
  }
}

/**
 * The clean JSON Schema of a tool's `parameters` (zod or JSON Schema): `$ref`s inlined, no `$defs`, no
 * `$schema`. It must describe an object; a JSON Schema without `type` but with `properties` is taken as one,
 * and no parameters at all is `{ type: 'object', properties: {} }`.
 */
export function objectParameters(tool: string, parameters: unknown): JsonSchema {
  if (parameters === undefined || parameters === null) return { ...EMPTY_PARAMETERS, properties: {} };
  let schema: JsonSchema;
  try {
    schema = toJsonSchema(parameters as JsonSchema);
  } catch (error) {
    const reason = LLMError.isInstance(error) ? error.message.replace(/^schema:\s*/, '') : String(error);
    throw toolDefinitionError(tool, 'parameters', reason, error);
  }
  delete schema.$schema;
  if (schema.type === undefined && isPlainObject(schema.properties)) schema.type = 'object';
  if (schema.type !== 'object') {
    const got = schema.type === undefined ? 'a schema without type' : `type ${JSON.stringify(schema.type)}`;
    throw toolDefinitionError(
      tool,
      'parameters',
      `must be an object schema such as z.object({ … }) or { type: 'object', properties: { … } } (got ${got})`,
    );
  }
  return schema;
}

/**
 * `validate` for a zod schema: `safeParse` with the schema's own coercions and defaults; issues by path
 * (`items[0].qty`, `''` for the arguments object itself).
 */
export function zodValidator<T>(schema: $ZodType): (args: unknown) => ToolArgumentsCheck<T> {
  return (args) => {
    const result = safeParse(schema, args);
    if (result.success) return { ok: true, value: result.data as T };
    return {
      ok: false,
      issues: result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  };
}
