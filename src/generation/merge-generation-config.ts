import { copyPlain, isPlainObject, setOwn } from '../schema/copy-plain.js';
import type { LLMGenerationConfig, ProviderToolSpec } from '../spec/index.js';

/**
 * Merges two generation configs into a new one; `override` wins.
 *
 * - Components (`core`, `reasoning`, `visual`, `output`, `safety`, `toolConfig`) merge field by field: a field
 *   set (not `undefined`/`null`) in `override` replaces the base's. Field values are replaced whole, never
 *   merged: `stop`, `responseModalities`, `allowedFunctionNames`, `responseSchema` and `safetySettings` come
 *   entirely from the side that sets them.
 * - `customParams` merge by key the same way.
 * - `nativeTools` are concatenated without duplicates: a tool of the same kind/provider/type as an earlier one
 *   replaces it (so the override's `url_context` URLs win).
 *
 * Never mutates or aliases its inputs: everything is deep-copied (class instances inside `customParams`, such
 * as a `Date`, are kept by reference). `undefined`/`null` inputs count as empty.
 *
 * @example mergeGenerationConfig({ core: { temperature: 0.2, maxTokens: 100 } }, { core: { temperature: 1 } })
 *   // → { core: { temperature: 1, maxTokens: 100 } }
 */
export function mergeGenerationConfig(
  base?: LLMGenerationConfig | null,
  override?: LLMGenerationConfig | null,
): LLMGenerationConfig {
  const a = (base ?? {}) as Record<string, unknown>;
  const b = (override ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = a[key];
    const right = b[key];
    let merged: unknown;
    if (key === 'nativeTools') {
      merged = mergeNativeTools(left, right);
    } else if (isPlainObject(left) && isPlainObject(right)) {
      merged = mergeFields(left, right);
    } else if (right != null) {
      merged = isPlainObject(right) ? mergeFields({}, right) : copyPlain(right);
    } else if (left != null) {
      merged = isPlainObject(left) ? mergeFields(left, {}) : copyPlain(left);
    }
    if (merged !== undefined) setOwn(out, key, merged);
  }
  return out as LLMGenerationConfig;
}

/** Field-level merge of two components; unset (`undefined`/`null`) fields are left out. */
function mergeFields(left: Record<string, unknown>, right: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(left)) if (left[key] != null) setOwn(out, key, copyPlain(left[key]));
  for (const key of Object.keys(right)) if (right[key] != null) setOwn(out, key, copyPlain(right[key]));
  return out;
}

function mergeNativeTools(left: unknown, right: unknown): ProviderToolSpec[] | undefined {
  if (!Array.isArray(left) && !Array.isArray(right)) return undefined;
  const out: ProviderToolSpec[] = [];
  for (const tool of [...(Array.isArray(left) ? left : []), ...(Array.isArray(right) ? right : [])]) {
    // Entries that are not objects are left for validateGenerationConfig to report; merging never throws.
    if (isPlainObject(tool)) addNativeTool(out, tool as unknown as ProviderToolSpec);
  }
  return out;
}

/** Appends a copy of `tool`, or replaces the entry of the same kind/provider/type. Mutates `tools`. */
export function addNativeTool(tools: ProviderToolSpec[], tool: ProviderToolSpec): void {
  const copy = copyPlain(tool);
  const index = tools.findIndex(
    (t) => t.kind === tool.kind && t.provider === tool.provider && t.type === tool.type,
  );
  if (index === -1) tools.push(copy);
  else tools[index] = copy;
}
