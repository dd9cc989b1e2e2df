import type { FunctionToolSpec, JsonSchema, Mapped, ToolChoice, ToolConfig } from '../../spec/index.js';
import type { OpenAIDialectProfile } from './openai-dialects.js';
import { toOpenAIStrictSchema } from './openai-strict-schema.js';
import type { OpenAIChatTool, OpenAIToolChoice } from './openai-wire.js';

const EMPTY_PARAMETERS: JsonSchema = { type: 'object', properties: {} };

/** Function tools on the wire, plus the optional-field paths of the tools sent strict (by tool name). */
export interface SerializedOpenAITools {
  tools: OpenAIChatTool[] | undefined;
  strictOptionalPaths: Map<string, string[]>;
}

/**
 * `PreparedTools.functions` → `tools: [{ type: 'function', function: { name, description, parameters, strict? } }]`.
 * `strict` is sent only when the tool asks for it, the dialect supports it and the schema can be
 * expressed strictly; otherwise the schema goes as given and a warning says why.
 */
export function serializeOpenAITools(
  functions: readonly FunctionToolSpec[],
  profile: OpenAIDialectProfile,
): Mapped<SerializedOpenAITools> {
  const strictOptionalPaths = new Map<string, string[]>();
  if (functions.length === 0) return { value: { tools: undefined, strictOptionalPaths }, warnings: [] };
  const warnings: string[] = [];
  const tools = functions.map((tool): OpenAIChatTool => {
    let parameters = tool.parameters ?? EMPTY_PARAMETERS;
    let strict = false;
    if (tool.strict === true) {
      const converted = profile.strictTools ? toOpenAIStrictSchema(parameters) : undefined;
      if (converted === undefined) {
        warnings.push(
          `tool ${tool.name}: strict mode is not supported by ${profile.name}; sent without strict`,
        );
      } else if (!converted.strict) {
        warnings.push(
          `tool ${tool.name}: schema cannot be strict (${converted.reason}); sent without strict`,
        );
      } else {
        parameters = converted.schema;
        strict = true;
        if (converted.optionalPaths.length > 0) strictOptionalPaths.set(tool.name, converted.optionalPaths);
      }
    }
    const fn: OpenAIChatTool['function'] = { name: tool.name, parameters };
    if (tool.description != null && tool.description !== '') fn.description = tool.description;
    if (strict) fn.strict = true;
    return { type: 'function', function: fn };
  });
  return { value: { tools, strictOptionalPaths }, warnings };
}

/**
 * The wire `tool_choice`: the call's `toolChoice` wins over `config.toolConfig`; nothing is sent when
 * no function tools are (a choice without tools is reported when it asked for calls).
 */
export function mapOpenAIToolChoice(
  toolChoice: ToolChoice | undefined,
  toolConfig: ToolConfig | undefined,
  toolNames: readonly string[],
  profile: OpenAIDialectProfile,
): Mapped<OpenAIToolChoice | undefined> {
  const warnings: string[] = [];
  const choice = toolChoice ?? fromToolConfig(toolConfig, toolNames, profile, warnings);
  if (choice === undefined) return { value: undefined, warnings };
  if (toolNames.length === 0) {
    if (choice !== 'auto' && choice !== 'none')
      warnings.push('tool choice ignored: no function tools were given');
    return { value: undefined, warnings };
  }
  if (typeof choice === 'string') return { value: choice, warnings };
  if ('name' in choice) {
    if (!toolNames.includes(choice.name)) {
      warnings.push(`tool choice names unknown tool ${choice.name}; sent "required"`);
      return { value: 'required', warnings };
    }
    return { value: { type: 'function', function: { name: choice.name } }, warnings };
  }
  return { value: choice, warnings };
}

function fromToolConfig(
  toolConfig: ToolConfig | undefined,
  toolNames: readonly string[],
  profile: OpenAIDialectProfile,
  warnings: string[],
): ToolChoice | OpenAIToolChoice | undefined {
  const mode = toolConfig?.mode;
  if (mode == null) return undefined;
  switch (mode) {
    case 'AUTO':
      return 'auto';
    case 'NONE':
      return 'none';
    case 'ANY': {
      const allowed = (toolConfig?.allowedFunctionNames ?? []).filter((name) => toolNames.includes(name));
      const [only] = allowed;
      if (allowed.length === 1 && only !== undefined) return { name: only };
      if (allowed.length === 0 || allowed.length === toolNames.length) return 'required';
      if (profile.allowedToolsChoice) {
        return {
          type: 'allowed_tools',
          allowed_tools: {
            mode: 'required',
            tools: allowed.map((name) => ({ type: 'function' as const, function: { name } })),
          },
        };
      }
      warnings.push(
        `allowedFunctionNames cannot restrict calls to a subset on ${profile.name}; sent "required"`,
      );
      return 'required';
    }
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}
