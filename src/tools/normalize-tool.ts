import type { $ZodType } from 'zod/v4/core';
import { LLMError } from '../errors/llm-error.js';
import type { ConfigIssue } from '../generation/field-checks.js';
import { checkProviderTool } from '../generation/native-tools.js';
import { isPlainObject } from '../schema/copy-plain.js';
import { isZodSchema } from '../schema/is-zod-schema.js';
import type {
  CacheControl,
  FunctionToolSpec,
  JsonSchema,
  ProviderToolSpec,
  RunContext,
  ToolSpec,
} from '../spec/index.js';
import { checkToolName, objectParameters, toolDefinitionError, zodValidator } from './tool-definition.js';

/**
 * A tool as a plain object: `parameters` is a JSON Schema (or a zod schema, converted); `execute` receives
 * the parsed arguments (validated first when `parameters` is zod or `validate` is given).
 * @example { name: 'add', description: 'Adds', parameters: { type: 'object', properties: { a: { type: 'number' } } } }
 */
export interface PlainTool {
  name: string;
  description?: string;
  parameters?: JsonSchema | $ZodType;
  validate?: FunctionToolSpec['validate'];
  // biome-ignore lint/suspicious/noExplicitAny: arguments are whatever the tool declares.
  execute?(args: any, context: RunContext): unknown;
  timeoutMs?: number;
  strict?: boolean;
  /** Prompt-caching breakpoint after this tool (Anthropic `cache_control`). */
  cacheControl?: CacheControl;
}

/** Anything accepted as a tool object: `functionTool(…)`, a plain tool, or a provider tool. */
export type ToolLike = ToolSpec | PlainTool;

const NORMALIZED = Symbol('switchboard-llm.normalizedTool');

/** Marks a spec whose parameters are already clean (so `normalizeTool` returns it as is). */
export function markNormalized<T extends object>(spec: T): T {
  Object.defineProperty(spec, NORMALIZED, { value: true });
  return spec;
}

function isNormalized(value: object): boolean {
  return (value as Record<symbol, unknown>)[NORMALIZED] === true;
}

/** True when the client (or an invoker) can run the tool: a function tool with an `execute` function. */
export function isExecutable(
  tool: unknown,
): tool is FunctionToolSpec & { execute: NonNullable<FunctionToolSpec['execute']> } {
  return (
    typeof tool === 'object' &&
    tool !== null &&
    (tool as { kind?: unknown }).kind !== 'provider' &&
    typeof (tool as { execute?: unknown }).execute === 'function'
  );
}

/** Checks the optional fields of a tool definition (description, execute, validate, timeoutMs, strict, cacheControl). */
export function checkToolDefinitionFields(name: string, tool: object): void {
  const t = tool as Record<string, unknown>;
  if (t.description !== undefined && typeof t.description !== 'string') {
    throw toolDefinitionError(name, 'description', `must be a string (got ${typeof t.description})`);
  }
  for (const field of ['execute', 'validate'] as const) {
    if (t[field] !== undefined && typeof t[field] !== 'function') {
      throw toolDefinitionError(name, field, `must be a function (got ${typeof t[field]})`);
    }
  }
  if (
    t.timeoutMs !== undefined &&
    (typeof t.timeoutMs !== 'number' || !Number.isFinite(t.timeoutMs) || t.timeoutMs <= 0)
  ) {
    throw toolDefinitionError(
      name,
      'timeoutMs',
      `must be a positive number of ms (got ${String(t.timeoutMs)})`,
    );
  }
  if (t.strict !== undefined && typeof t.strict !== 'boolean') {
    throw toolDefinitionError(name, 'strict', `must be a boolean (got ${typeof t.strict})`);
  }
  const cache = t.cacheControl as { type?: unknown; ttl?: unknown } | undefined;
  if (
    cache !== undefined &&
    (!isPlainObject(cache) ||
      cache.type !== 'ephemeral' ||
      (cache.ttl !== undefined && cache.ttl !== '5m' && cache.ttl !== '1h'))
  ) {
    throw toolDefinitionError(name, 'cacheControl', "must be { type: 'ephemeral', ttl?: '5m' | '1h' }");
  }
}

/**
 * One tool, ready for a dialect: a `FunctionToolSpec` with a clean object JSON Schema (zod converted,
 * `$ref`s inlined, no `$schema`; zod parameters also get `validate`), or a checked `ProviderToolSpec`.
 * `functionTool` results are returned as they are. Strings (tool names) are not handled here: see
 * `prepareTools`. `nameHint` names a tool without `name` (a record key).
 *
 * @throws LLMError `INVALID_PARAMETER` naming the tool and field.
 */
export function normalizeTool(tool: unknown, nameHint?: string): ToolSpec {
  if (!isPlainObject(tool) && (typeof tool !== 'object' || tool === null || Array.isArray(tool))) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `Invalid tool${nameHint !== undefined ? ` '${nameHint}'` : ''}: must be functionTool(…), a { name, description, parameters } object, a provider tool such as geminiGoogleSearch(), or a tool name (got ${Array.isArray(tool) ? 'an array' : typeof tool})`,
    );
  }
  if ((tool as { kind?: unknown }).kind === 'provider') return normalizeProviderTool(tool, nameHint);
  if (isNormalized(tool)) return tool as FunctionToolSpec;
  const t = tool as PlainTool & { kind?: unknown };
  const name = t.name ?? nameHint;
  checkToolName(name);
  if (t.kind !== undefined && t.kind !== 'function') {
    throw toolDefinitionError(
      name,
      'kind',
      `must be 'function' or 'provider' (got ${JSON.stringify(t.kind)})`,
    );
  }
  checkToolDefinitionFields(name, t);
  const spec: FunctionToolSpec = { kind: 'function', name, parameters: objectParameters(name, t.parameters) };
  if (t.description !== undefined) spec.description = t.description;
  if (t.validate !== undefined) spec.validate = t.validate.bind(t);
  else if (isZodSchema(t.parameters)) spec.validate = zodValidator(t.parameters);
  if (t.execute !== undefined) spec.execute = t.execute.bind(t);
  if (t.timeoutMs !== undefined) spec.timeoutMs = t.timeoutMs;
  if (t.strict !== undefined) spec.strict = t.strict;
  if (t.cacheControl !== undefined) spec.cacheControl = t.cacheControl;
  return markNormalized(spec);
}

function normalizeProviderTool(tool: object, nameHint: string | undefined): ProviderToolSpec {
  const t = tool as Record<string, unknown>;
  // A url_context without URLs is valid: the model reads the URLs written in the prompt.
  const check = t.type === 'url_context' && t.urls === undefined ? { ...t, urls: ['https://a.example'] } : t;
  const issues: ConfigIssue[] = [];
  checkProviderTool(check, nameHint ?? 'tool', issues);
  if (issues.length > 0) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `Invalid provider tool: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      { details: { issues } },
    );
  }
  const spec: ProviderToolSpec = {
    kind: 'provider',
    provider: 'gemini',
    type: t.type as ProviderToolSpec['type'],
  };
  if (Array.isArray(t.urls)) spec.urls = [...(t.urls as string[])];
  return spec;
}

/** Zod-validated plain tools seen by invokers, so their validator is built once. */
const invocableCache = new WeakMap<object, FunctionToolSpec>();

/**
 * A lenient view of a tool for running it (no definition checks, no JSON Schema): provider tools and
 * non-objects → `undefined`; a plain tool with zod `parameters` gets a zod `validate`.
 */
export function asInvocableTool(tool: unknown, nameHint?: string): FunctionToolSpec | undefined {
  if (typeof tool !== 'object' || tool === null || (tool as { kind?: unknown }).kind === 'provider') {
    return undefined;
  }
  const t = tool as PlainTool;
  const name = typeof t.name === 'string' ? t.name : nameHint;
  if (name === undefined) return undefined;
  if (t.validate !== undefined || !isZodSchema(t.parameters)) {
    return name === t.name ? (t as FunctionToolSpec) : ({ ...t, name } as FunctionToolSpec);
  }
  let spec = invocableCache.get(t);
  if (spec === undefined) {
    spec = { ...(t as FunctionToolSpec), name, parameters: {}, validate: zodValidator(t.parameters) };
    if (t.execute !== undefined) spec.execute = t.execute.bind(t);
    invocableCache.set(t, spec);
  }
  return spec;
}
