import { isObjectRoot, wrapRoot } from '../../schema/root-wrap.js';
import type { JsonSchema, NativeStructuredOutput } from '../../spec/index.js';
import { toOpenAIStrictSchema } from './openai-strict-schema.js';

/**
 * Native structured output of the OpenAI family (chat completions and the Responses API):
 * `responseFormat: { type: 'json_schema', json_schema: { name, schema, strict } }`, strict only when
 * `toOpenAIStrictSchema` can express the schema (records/maps keep it open: non-strict). A non-object
 * root is wrapped as `{ value }` (strict mode needs an object root).
 */
export function openAINativeOutput(schema: JsonSchema, options: { name: string }): NativeStructuredOutput {
  const rootWrapped = !isObjectRoot(schema);
  const converted = toOpenAIStrictSchema(rootWrapped ? wrapRoot(schema) : schema);
  return {
    output: {
      responseFormat: {
        type: 'json_schema',
        json_schema: { name: options.name, schema: converted.schema, strict: converted.strict },
      },
    },
    rootWrapped,
    optionalPaths: converted.strict ? converted.optionalPaths : [],
    strict: converted.strict,
    warnings: converted.strict
      ? []
      : [`structured output sent without strict mode: ${converted.reason ?? 'not expressible'}`],
  };
}
