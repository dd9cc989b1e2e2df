import { LLMError } from '../errors/llm-error.js';

/** A 400 naming the request field at fault (`details.param`, sent as the error's `param`). */
export function invalid(param: string, message: string): LLMError {
  return new LLMError('INVALID_PARAMETER', `${param}: ${message}`, { details: { param } });
}

/** The JSON type of a value, for messages ("got an array"). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object, else a 400. */
export function objectAt(value: unknown, param: string): Record<string, unknown> {
  if (!isObject(value)) throw invalid(param, `must be an object (got ${kindOf(value)})`);
  return value;
}

/** `value` as a string, else a 400. */
export function stringAt(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid(param, `must be a string (got ${kindOf(value)})`);
  return value;
}

/** An optional finite number within [min, max]. */
export function numberAt(
  value: unknown,
  param: string,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalid(param, `must be a number (got ${kindOf(value)})`);
  if (range.integer === true && !Number.isInteger(value)) throw invalid(param, 'must be an integer');
  if (range.min != null && value < range.min) throw invalid(param, `must be at least ${range.min}`);
  if (range.max != null && value > range.max) throw invalid(param, `must be at most ${range.max}`);
  return value;
}

const DATA_URL = /^data:([^;,]+)?((?:;[^;,]*)*);base64,(.*)$/s;

/** A base64 data URL split into its MIME type and payload; `undefined` when `url` is not one. */
export function parseDataUrl(url: string): { mimeType: string | undefined; data: string } | undefined {
  const match = DATA_URL.exec(url);
  if (match == null) return undefined;
  return { mimeType: match[1]?.toLowerCase(), data: match[3] ?? '' };
}
