import { jsonrepair } from './jsonrepair.js';
import { isRecord } from './safe-json.js';

/** What `parseToolArguments` returns. */
export type ParsedToolArguments =
  | { ok: true; value: Record<string, unknown>; repaired: boolean }
  | { ok: false; message: string };

/**
 * Parses the arguments string of a tool call (the one parser of the library: dialects read answers with
 * it, the tool invoker reports its `message` back to the model). Empty (or blank) → `{}`. Text that is not valid JSON is
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
  if (!isRecord(value)) {
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
    return isRecord(value) ? value : undefined;
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

/**
 * For dialects reading an answer: the parsed arguments of tool `name`, or `{}`; a repair or an unusable
 * argument string adds a warning naming the tool.
 */
export function toolCallArguments(name: string, raw: string, warnings: string[]): Record<string, unknown> {
  const parsed = parseToolArguments(raw);
  if (parsed.ok) {
    if (parsed.repaired) warnings.push(`tool call ${name}: malformed arguments were repaired`);
    return parsed.value;
  }
  warnings.push(`tool call ${name}: arguments are not a JSON object; using {}`);
  return {};
}
