import type {
  Mapped,
  PreparedTools,
  ProviderModel,
  ProviderToolSpec,
  ToolChoice,
  ToolConfig,
} from '../../spec/index.js';
import { toGeminiSchema } from './gemini-schema.js';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from './gemini-wire.js';

/** Most URLs one `url_context` call takes (Gemini's documented limit). */
const MAX_CONTEXT_URLS = 20;

export interface GeminiToolsInput {
  tools: PreparedTools;
  /** `config.nativeTools` (presets such as `CommonOverrides.geminiCodeExecution()`). */
  nativeTools?: ProviderToolSpec[];
  toolChoice?: ToolChoice;
  /** `config.toolConfig`; the call's `toolChoice` wins when both are given. */
  toolConfig?: ToolConfig;
  model: ProviderModel;
}

export interface GeminiToolFields {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  /** URLs of `url_context` tools, to append to the last user turn. */
  contextUrls: string[];
}

/**
 * Function tools → one `{ functionDeclarations }` tool; each native tool (code execution, Google Search,
 * URL context) → its own tool object beside it (seed-spec §14.5 item 31: they were merged into one).
 * `toolConfig.functionCallingConfig` comes from `toolChoice` (else `config.toolConfig`) and is sent only
 * with function declarations, or for mode `NONE`.
 */
export function mapGeminiTools(input: GeminiToolsInput): Mapped<GeminiToolFields> {
  const warnings: string[] = [];
  const tools: GeminiTool[] = [];
  const contextUrls: string[] = [];

  const declarations: GeminiFunctionDeclaration[] = input.tools.functions.map((fn) => {
    const declaration: GeminiFunctionDeclaration = { name: fn.name, description: fn.description ?? '' };
    const schema = toGeminiSchema(fn.parameters);
    if (schema.value != null) declaration.parameters = schema.value;
    for (const warning of schema.warnings) warnings.push(`${fn.name}: ${warning}`);
    return declaration;
  });
  if (declarations.length > 0) tools.push({ functionDeclarations: declarations });

  const seen = new Set<ProviderToolSpec['type']>();
  for (const tool of [...input.tools.providerTools, ...(input.nativeTools ?? [])]) {
    if (tool.provider !== 'gemini') continue;
    if (tool.type === 'url_context' && tool.urls != null) {
      for (const url of tool.urls) if (!contextUrls.includes(url)) contextUrls.push(url);
    }
    if (seen.has(tool.type)) continue;
    seen.add(tool.type);
    if (!input.model.capabilities.nativeTools) {
      warnings.push(`${input.model.fullName} does not support Gemini native tools; ${tool.type} not sent`);
      continue;
    }
    tools.push(nativeTool(tool.type));
  }
  if (contextUrls.length > MAX_CONTEXT_URLS) {
    warnings.push(`url_context takes at most ${MAX_CONTEXT_URLS} URLs; the rest were dropped`);
    contextUrls.length = MAX_CONTEXT_URLS;
  }
  if (!seen.has('url_context') || !input.model.capabilities.nativeTools) contextUrls.length = 0;

  const value: GeminiToolFields = { contextUrls };
  if (tools.length > 0) value.tools = tools;
  const calling = functionCallingConfig(input, declarations, warnings);
  if (calling != null) value.toolConfig = { functionCallingConfig: calling };
  return { value, warnings };
}

function nativeTool(type: ProviderToolSpec['type']): GeminiTool {
  switch (type) {
    case 'code_execution':
      return { code_execution: {} };
    case 'google_search':
      return { google_search: {} };
    case 'url_context':
      return { url_context: {} };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

function functionCallingConfig(
  input: GeminiToolsInput,
  declarations: GeminiFunctionDeclaration[],
  warnings: string[],
): GeminiToolConfig['functionCallingConfig'] | undefined {
  const choice = input.toolChoice;
  let mode: 'AUTO' | 'ANY' | 'NONE' | undefined;
  let allowed: string[] | undefined;
  if (choice != null) {
    if (choice === 'auto') mode = 'AUTO';
    else if (choice === 'none') mode = 'NONE';
    else if (choice === 'required') mode = 'ANY';
    else {
      mode = 'ANY';
      allowed = [choice.name];
    }
  } else if (input.toolConfig != null) {
    mode = input.toolConfig.mode;
    if (input.toolConfig.allowedFunctionNames != null) allowed = input.toolConfig.allowedFunctionNames;
  }
  if (mode == null) return undefined;

  if (declarations.length === 0 && mode !== 'NONE') {
    if (mode !== 'AUTO') warnings.push(`tool choice ${mode} ignored: the request has no function tools`);
    return undefined;
  }
  const config: NonNullable<GeminiToolConfig['functionCallingConfig']> = { mode };
  if (allowed != null && mode === 'ANY') {
    const declared = new Set(declarations.map((declaration) => declaration.name));
    const known = allowed.filter((name) => declared.has(name));
    const unknown = allowed.filter((name) => !declared.has(name));
    if (unknown.length > 0) warnings.push(`allowedFunctionNames not among the tools: ${unknown.join(', ')}`);
    if (known.length > 0) config.allowedFunctionNames = known;
  } else if (allowed != null && allowed.length > 0) {
    warnings.push(`allowedFunctionNames apply only to mode ANY; ignored for ${mode}`);
  }
  return config;
}
