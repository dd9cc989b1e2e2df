import type { JsonSchema, Mapped, PreparedTools, ToolChoice, ToolConfig } from '../../spec/index.js';
import { toAnthropicSchema } from './anthropic-schema.js';
import type { AnthropicServerTool, AnthropicTool, AnthropicToolChoice } from './anthropic-wire.js';

/**
 * Server tools sent for the neutral provider tools (`llm.search()`, `llm.code()`). To use another version,
 * pass the whole `tools` array in `customParams` (merged verbatim into the body).
 */
export const ANTHROPIC_WEB_SEARCH_TOOL = Object.freeze({
  type: 'web_search_20250305',
  name: 'web_search',
} as const satisfies AnthropicServerTool);
export const ANTHROPIC_CODE_EXECUTION_TOOL = Object.freeze({
  type: 'code_execution_20250825',
  name: 'code_execution',
} as const satisfies AnthropicServerTool);

export interface AnthropicToolsInput {
  tools: PreparedTools;
  toolChoice?: ToolChoice;
  toolConfig?: ToolConfig;
  /** Extended thinking is on: the API refuses a forced tool then. */
  thinking: boolean;
}

export interface AnthropicToolFields {
  tools?: (AnthropicTool | AnthropicServerTool)[];
  tool_choice?: AnthropicToolChoice;
}

/**
 * Function tools → `tools[{ name, description, input_schema, strict?, cache_control? }]`; the neutral provider
 * tools → Anthropic server tools (`google_search` → `web_search`, `code_execution` → `code_execution`;
 * `url_context` has no equivalent and is reported). `toolChoice` (`auto` / `none` / `required` / `{ name }`),
 * else `config.toolConfig`, → `tool_choice` `auto` / `none` / `any` / `{ type: 'tool', name }`; a forced choice
 * becomes `auto` (with a warning) while thinking is on, and nothing is sent when there are no tools.
 */
export function mapAnthropicTools(input: AnthropicToolsInput): Mapped<AnthropicToolFields> {
  const warnings: string[] = [];
  const tools: (AnthropicTool | AnthropicServerTool)[] = input.tools.functions.map((spec) => {
    const tool: AnthropicTool = { name: spec.name, input_schema: inputSchema(spec.parameters, spec.strict) };
    if (spec.description != null && spec.description !== '') tool.description = spec.description;
    if (spec.strict === true) tool.strict = true;
    if (spec.cacheControl != null) tool.cache_control = { ...spec.cacheControl };
    return tool;
  });
  const names = tools.map((tool) => tool.name);
  for (const spec of input.tools.providerTools) {
    if (spec.type === 'google_search') tools.push({ ...ANTHROPIC_WEB_SEARCH_TOOL });
    else if (spec.type === 'code_execution') tools.push({ ...ANTHROPIC_CODE_EXECUTION_TOOL });
    else warnings.push(`Anthropic has no ${spec.type} tool; not sent`);
  }
  const value: AnthropicToolFields = {};
  if (tools.length > 0) value.tools = tools;
  const choice = mapChoice(input, names, tools.length > 0, warnings);
  if (choice != null) value.tool_choice = choice;
  return { value, warnings };
}

function inputSchema(
  parameters: JsonSchema | undefined,
  strict: boolean | undefined,
): AnthropicTool['input_schema'] {
  const schema = parameters ?? { type: 'object', properties: {} };
  const shaped = strict === true ? toAnthropicSchema(schema) : schema;
  return shaped.type === 'object' ? (shaped as AnthropicTool['input_schema']) : { ...shaped, type: 'object' };
}

function mapChoice(
  input: AnthropicToolsInput,
  names: readonly string[],
  hasTools: boolean,
  warnings: string[],
): AnthropicToolChoice | undefined {
  const choice = input.toolChoice ?? fromToolConfig(input.toolConfig, names, warnings);
  if (choice === undefined) return undefined;
  if (!hasTools) {
    if (choice !== 'auto' && choice !== 'none') warnings.push('tool choice ignored: no tools were given');
    return undefined;
  }
  let wire: AnthropicToolChoice;
  if (choice === 'auto') wire = { type: 'auto' };
  else if (choice === 'none') wire = { type: 'none' };
  else if (choice === 'required') wire = { type: 'any' };
  else if (names.includes(choice.name)) wire = { type: 'tool', name: choice.name };
  else {
    warnings.push(`tool choice names unknown tool ${choice.name}; sent "any"`);
    wire = { type: 'any' };
  }
  if (input.thinking && (wire.type === 'any' || wire.type === 'tool')) {
    warnings.push('Anthropic cannot force a tool call while thinking; tool choice sent as auto');
    return { type: 'auto' };
  }
  return wire;
}

function fromToolConfig(
  toolConfig: ToolConfig | undefined,
  names: readonly string[],
  warnings: string[],
): ToolChoice | undefined {
  const mode = toolConfig?.mode;
  if (mode == null) return undefined;
  switch (mode) {
    case 'AUTO':
      return 'auto';
    case 'NONE':
      return 'none';
    case 'ANY': {
      const allowed = (toolConfig?.allowedFunctionNames ?? []).filter((name) => names.includes(name));
      const [only] = allowed;
      if (allowed.length === 1 && only !== undefined) return { name: only };
      if (allowed.length > 1 && allowed.length < names.length) {
        warnings.push('allowedFunctionNames cannot restrict calls to a subset on Anthropic; sent "any"');
      }
      return 'required';
    }
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}
