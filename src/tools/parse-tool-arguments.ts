import { jsonrepair } from 'jsonrepair';
import { isPlainObject } from '../schema/copy-plain.js';

/** What `parseToolArguments` returns. */
export type ParsedToolArguments =
  | { ok: true; value: Record<string, unknown>; repaired: boolean }
  | { ok: false; message: string };

/**
 * Parses the arguments string of a tool call. Empty (or blank) → `{}`. Text that is not valid JSON is
 * repaired locally with `jsonrepair` (markdown fences, single quotes, trailing commas, unquoted keys,
 * truncated objects) before giving up; a JSON string holding an object (double-encoded arguments) is
 * unwrapped. Anything that is not a JSON object in the end is an error, worded for the model.
 *
 * @example parseToolArguments("{'city': 'Paris',}") // → { ok: true, value: { city: 'Paris' }, repaired: true }
 */
export function parseToolArguments(raw: string): ParsedToolArguments {
  if (raw.trim() === '') return { ok: true, value: {}, repaired: false };
  let value: unknown;
  let repaired = false;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    try {
      value = JSON.parse(jsonrepair(raw));
      repaired = true;
    } catch {
      return { ok: false, message: `arguments are not valid JSON (${reasonOf(error)}); send a JSON object` };
    }
  }
  if (typeof value === 'string') {
    // Some models double-encode: "{\"city\":\"Paris\"}".
    const inner = parseObject(value);
    if (inner !== undefined) return { ok: true, value: inner, repaired: true };
  }
  if (!isPlainObject(value)) {
    return {
      ok: false,
      message: `arguments must be a JSON object (got ${kindOf(value)}); send a JSON object`,
    };
  }
  return { ok: true, value, repaired };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
