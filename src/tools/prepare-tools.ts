import { LLMError } from '../errors/llm-error.js';
import { isPlainObject } from '../schema/copy-plain.js';
import type {
  FunctionToolSpec,
  LLMToolCall,
  PreparedTools,
  ProviderToolSpec,
  ToolInput,
  ToolSpec,
} from '../spec/index.js';
import { isExecutable, normalizeTool, type PlainTool } from './normalize-tool.js';
import type { ToolProviderRegistry } from './tool-registry.js';

/** What `prepareTools` returns. */
export interface PreparedToolSet {
  /** For the dialect: function tools with clean JSON Schemas, and native tools. */
  prepared: PreparedTools;
  /** The function tools the client can run itself (those with `execute`), by name. */
  executables: Map<string, FunctionToolSpec>;
}

/** A `tools` option: an array, or a record by name (a nameless plain tool takes its key). */
export type ToolsOption =
  | readonly (ToolInput | PlainTool)[]
  | Readonly<Record<string, ToolInput | PlainTool>>;

interface Entry {
  value: unknown;
  path: string;
  key?: string;
}

/**
 * Normalises a call's `tools` for the dialect: function tools get clean object JSON Schemas (zod converted,
 * `$ref`s inlined; `RunContext` is never part of them), provider tools are checked and kept, names are
 * resolved through `registry` (`google_search`, `code_execution` and `url_context` are Gemini's native tools).
 * `nativeTools` (config presets) join the provider tools; identical native tools are sent once.
 *
 * @throws LLMError `INVALID_PARAMETER` naming the tool: a bad definition, a duplicate function name, an
 *   unknown tool name.
 * @example const { prepared, executables } = await prepareTools([weather, 'google_search'], defaultToolRegistry)
 */
export async function prepareTools(
  tools: ToolsOption | undefined,
  registry: ToolProviderRegistry,
  nativeTools?: readonly ProviderToolSpec[],
): Promise<PreparedToolSet> {
  const entries = entriesOf(tools);
  const names = entries.filter((entry) => typeof entry.value === 'string');
  if (names.length > 0) {
    const resolved = await registry.resolve(names.map((entry) => entry.value as string));
    names.forEach((entry, i) => {
      entry.value = resolved[i];
    });
  }

  const functions: FunctionToolSpec[] = [];
  const providerTools: ProviderToolSpec[] = [];
  const executables = new Map<string, FunctionToolSpec>();
  const firstPath = new Map<string, string>();
  const nativeKeys = new Set<string>();
  const addNative = (tool: ProviderToolSpec) => {
    const key = JSON.stringify([tool.type, tool.urls ?? null]);
    if (nativeKeys.has(key)) return;
    nativeKeys.add(key);
    providerTools.push(tool);
  };

  for (const entry of entries) {
    const spec = normalizeAt(entry);
    if (spec.kind === 'provider') {
      addNative(spec);
      continue;
    }
    const earlier = firstPath.get(spec.name);
    if (earlier !== undefined) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `tools: duplicate tool name '${spec.name}' (${earlier} and ${entry.path}); tool names must be unique`,
        { details: { tool: spec.name, paths: [earlier, entry.path] } },
      );
    }
    firstPath.set(spec.name, entry.path);
    functions.push(spec);
    if (isExecutable(spec)) executables.set(spec.name, spec);
  }
  (nativeTools ?? []).forEach((tool, i) => {
    const spec = normalizeAt({ value: tool, path: `nativeTools[${i}]` });
    if (spec.kind === 'provider') addNative(spec);
  });
  return { prepared: { functions, providerTools }, executables };
}

/**
 * One round's tool calls, split: `run` (executable tools, and unknown names, which the invoker answers with
 * `ToolNotFound`) and `returnToCaller` (declared function tools without `execute`).
 */
export function splitToolCalls(
  calls: readonly LLMToolCall[],
  toolSet: PreparedToolSet,
): { run: LLMToolCall[]; returnToCaller: LLMToolCall[] } {
  const declared = new Set(toolSet.prepared.functions.map((tool) => tool.name));
  const run: LLMToolCall[] = [];
  const returnToCaller: LLMToolCall[] = [];
  for (const call of calls) {
    if (declared.has(call.name) && !toolSet.executables.has(call.name)) returnToCaller.push(call);
    else run.push(call);
  }
  return { run, returnToCaller };
}

function entriesOf(tools: ToolsOption | undefined): Entry[] {
  if (tools === undefined || tools === null) return [];
  if (Array.isArray(tools)) return tools.map((value, i) => ({ value, path: `tools[${i}]` }));
  if (isPlainObject(tools)) {
    return Object.entries(tools).map(([key, value]) => ({ value, key, path: `tools.${key}` }));
  }
  throw new LLMError('INVALID_PARAMETER', 'tools: must be an array of tools or a record of tools by name', {
    details: { path: 'tools' },
  });
}

function normalizeAt(entry: Entry): ToolSpec {
  try {
    return normalizeTool(entry.value, entry.key);
  } catch (error) {
    if (!LLMError.isInstance(error)) throw error;
    throw new LLMError(error.code, `${entry.path}: ${error.message}`, {
      details: { ...error.details, path: entry.path },
      cause: error,
    });
  }
}
