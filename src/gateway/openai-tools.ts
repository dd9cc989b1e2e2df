import type { FunctionToolSpec, JsonSchema, ToolChoice } from '../spec/index.js';
import { invalid, isObject, kindOf, objectAt, stringAt } from './request-checks.js';

const EMPTY_PARAMETERS: JsonSchema = { type: 'object', properties: {} };

/**
 * OpenAI `tools` → plain function tools without `execute`: the model's calls come back to the client as
 * `tool_calls` (the gateway never runs tools). Only `type: 'function'` tools exist here.
 */
export function toFunctionTools(value: unknown): FunctionToolSpec[] | undefined {
  if (value == null) return undefined;
  if (!Array.isArray(value)) throw invalid('tools', `must be an array (got ${kindOf(value)})`);
  if (value.length === 0) return undefined;
  return value.map((item, index) => {
    const param = `tools[${index}]`;
    const tool = objectAt(item, param);
    if (tool.type !== 'function')
      throw invalid(
        `${param}.type`,
        `only "function" tools are supported (got ${JSON.stringify(tool.type)})`,
      );
    const fn = objectAt(tool.function, `${param}.function`);
    const spec: FunctionToolSpec = {
      name: stringAt(fn.name, `${param}.function.name`),
      parameters:
        fn.parameters == null ? EMPTY_PARAMETERS : objectAt(fn.parameters, `${param}.function.parameters`),
    };
    if (fn.description != null) spec.description = stringAt(fn.description, `${param}.function.description`);
    if (fn.strict === true) spec.strict = true;
    return spec;
  });
}

/** OpenAI `tool_choice` → `ToolChoice`: `auto`, `none`, `required`, or `{ type: 'function', function: { name } }`. */
export function toToolChoice(value: unknown): ToolChoice | undefined {
  if (value == null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isObject(value) && value.type === 'function') {
    const fn = objectAt(value.function, 'tool_choice.function');
    return { name: stringAt(fn.name, 'tool_choice.function.name') };
  }
  throw invalid(
    'tool_choice',
    'must be "auto", "none", "required" or { type: "function", function: { name } }',
  );
}
