import type { FunctionToolSpec, Mapped, PreparedTools } from '../../spec/index.js';
import { toOpenAIStrictSchema } from '../openai/openai-strict-schema.js';
import type { ResponsesFunctionTool } from './responses-wire.js';

/** Function tools on the wire, plus the optional-field paths of the tools sent strict (by tool name). */
export interface ResponsesTools {
  tools: ResponsesFunctionTool[];
  /** Strict mode turns optional properties into required nullable ones; these paths restore them. */
  strictOptionalPaths: Map<string, string[]>;
}

/**
 * Function tools in the Responses shape: `{ type: 'function', name, description, parameters, strict }`,
 * flat (the chat-completions `function: {…}` nesting is rejected there). `strict` is always present:
 * `true` when the tool asks for it and its schema converts to strict mode (`toOpenAIStrictSchema`),
 * else `false` (with a warning saying why when it was asked for).
 */
export function toResponsesTools(tools: PreparedTools): Mapped<ResponsesTools> {
  const warnings: string[] = [];
  const strictOptionalPaths = new Map<string, string[]>();
  const serialized = tools.functions.map((fn) => serializeTool(fn, warnings, strictOptionalPaths));
  const configured = new Set<string>();
  for (const native of tools.providerTools) {
    const key = `${native.provider}.${native.type}`;
    if (configured.has(key)) continue;
    configured.add(key);
    warnings.push(nativeToolWarning(native.type, native.provider));
  }
  return { value: { tools: serialized, strictOptionalPaths }, warnings };
}

/** The warning for a native tool the Responses dialect cannot send (same text from config and tools). */
export function nativeToolWarning(type: string, provider: string): string {
  return `native tool "${type}" (${provider}) is not available on the Responses API; ignored`;
}

function serializeTool(
  fn: FunctionToolSpec,
  warnings: string[],
  strictOptionalPaths: Map<string, string[]>,
): ResponsesFunctionTool {
  const parameters = fn.parameters ?? { type: 'object', properties: {} };
  const tool: ResponsesFunctionTool = { type: 'function', name: fn.name, parameters, strict: false };
  if (fn.description != null && fn.description !== '') tool.description = fn.description;
  if (fn.strict === true) {
    const converted = toOpenAIStrictSchema(parameters);
    if (converted.strict) {
      tool.parameters = converted.schema;
      tool.strict = true;
      if (converted.optionalPaths.length > 0) strictOptionalPaths.set(fn.name, converted.optionalPaths);
    } else {
      warnings.push(
        `tool "${fn.name}": schema cannot be strict (${converted.reason}); sent with strict: false`,
      );
    }
  }
  return tool;
}
