import type { DebugLogOptions } from '../spec/index.js';
import { redactSecrets } from './secrets.js';

/** How `sanitizeForLog` shortens and hides. Every field is optional. */
export interface SanitizeOptions extends DebugLogOptions {
  /** Nesting beyond this many levels becomes `"[depth limit]"`. @default 24 */
  maxDepth?: number;
  /** Strings longer than this are cut to their first 200 and last 50 characters. @default 1000 */
  maxStringLength?: number;
}

// Header (and field) names whose values are secrets, compared lower-cased without `-` and `_`.
const SECRET_FIELDS = new Set([
  'authorization',
  'proxyauthorization',
  'xgoogapikey',
  'apikey',
  'xapikey',
  'apikeys',
  'cookie',
  'setcookie',
  'accesstoken',
  'refreshtoken',
  'clientsecret',
  'password',
]);

// Fields holding base64 payloads (OpenAI images, audio, Imagen), shortened whatever their content.
const BASE64_FIELDS = new Set(['b64_json', 'partial_image_b64', 'bytesBase64Encoded', 'file_data']);
// `data` is base64 inside these objects (Gemini parts, OpenAI input/output audio).
const BASE64_DATA_OWNERS = new Set(['inlineData', 'inline_data', 'input_audio', 'audio']);
// Opaque reasoning state: Gemini thought signatures, OpenAI Responses encrypted reasoning, OpenRouter details.
const SIGNATURE_FIELDS = new Set(['thoughtSignature', 'thought_signature', 'encrypted_content', 'signature']);
const SCHEMA_FIELDS = new Set([
  'responseJsonSchema',
  'responseSchema',
  'response_json_schema',
  'response_schema',
]);
const SAFETY_FIELDS = new Set(['safetySettings', 'safety_settings', 'safetyRatings', 'safety_ratings']);

const SIGNATURE_LIMIT = 64;
const BASE64_FIELD_LIMIT = 64;
// A string this long made only of base64 characters is a payload, whatever its field.
const BASE64_SNIFF_MIN = 256;
const VECTOR_LIMIT = 10;
const HEAD = 200;
const TAIL = 50;

const BASE64_CHARS = /^[A-Za-z0-9+/_-]+={0,2}$/;
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*);base64,/i;
const INLINE_DATA_URL =
  /(data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,)([A-Za-z0-9+/_-]{64,}={0,2})/gi;

interface Context {
  showTools: boolean;
  showSchema: boolean;
  showSafety: boolean;
  maxDepth: number;
  maxStringLength: number;
  ancestors: WeakSet<object>;
}

/**
 * A copy of `value` safe to log: secrets masked (auth headers, `key=` parameters, registered keys and
 * key-shaped tokens anywhere in a string), base64 payloads, signatures, long strings and vectors shortened,
 * tools / schemas / safety hidden per `options`. Works on request and response bodies and headers of both
 * dialects; never mutates `value`; cycle-safe and depth-limited.
 */
export function sanitizeForLog(value: unknown, options: SanitizeOptions = {}): unknown {
  const ctx: Context = {
    showTools: options.showTools ?? true,
    showSchema: options.showSchema ?? true,
    showSafety: options.showSafety ?? true,
    maxDepth: options.maxDepth ?? 24,
    maxStringLength: options.maxStringLength ?? 1000,
    ancestors: new WeakSet(),
  };
  return walk(value, undefined, 0, ctx);
}

/** Sanitizes one log string: secrets masked, inline base64 and excess length shortened. */
export function sanitizeString(text: string, maxLength = 1000): string {
  const dataUrl = DATA_URL.exec(text);
  if (dataUrl) return shortenDataUrl(text, dataUrl[0]);
  if (text.length >= BASE64_SNIFF_MIN && BASE64_CHARS.test(text)) return base64Omitted(text.length);
  let out = text.length >= 6 ? redactSecrets(text) : text;
  if (out.length >= 64 + 8 && out.includes('base64,')) {
    out = out.replace(
      INLINE_DATA_URL,
      (_m, prefix: string, data: string) => `${prefix}${base64Omitted(data.length)}`,
    );
  }
  return truncate(out, maxLength);
}

/** Masks a header value by header name (`authorization`, `x-goog-api-key`, cookies, …). */
export function sanitizeHeaderValue(name: string, value: string): string {
  if (!isSecretField(name)) return sanitizeString(value);
  const scheme = /^(Bearer|Basic|Token)\s/i.exec(value);
  return scheme ? `${scheme[1]} [REDACTED]` : '[REDACTED]';
}

function walk(value: unknown, key: string | undefined, depth: number, ctx: Context): unknown {
  switch (typeof value) {
    case 'string':
      return sanitizeString(value, ctx.maxStringLength);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function${value.name ? ` ${value.name}` : ''}]`;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ArrayBuffer.isView(obj)) return `[${obj.byteLength} bytes]`;
  if (obj instanceof ArrayBuffer) return `[${obj.byteLength} bytes]`;
  if (depth >= ctx.maxDepth) return '[depth limit]';
  if (ctx.ancestors.has(obj)) return '[circular]';
  ctx.ancestors.add(obj);
  try {
    return walkObject(obj, key, depth, ctx);
  } finally {
    ctx.ancestors.delete(obj);
  }
}

function walkObject(obj: object, key: string | undefined, depth: number, ctx: Context): unknown {
  if (Array.isArray(obj)) {
    if (obj.length > VECTOR_LIMIT && obj.every((item) => typeof item === 'number')) {
      return [...obj.slice(0, 3), `…(${obj.length - 6} floats omitted)…`, ...obj.slice(-3)];
    }
    return obj.map((item) => walk(item, key, depth + 1, ctx));
  }
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (typeof Headers !== 'undefined' && obj instanceof Headers) return headersObject(obj.entries());
  if (obj instanceof Map) return walkEntries(obj.entries(), key, depth, ctx);
  if (obj instanceof Set) return [...obj].map((item) => walk(item, key, depth + 1, ctx));
  if (typeof Blob !== 'undefined' && obj instanceof Blob) return blobSummary(obj);
  if (typeof FormData !== 'undefined' && obj instanceof FormData) return formDataObject(obj, depth, ctx);
  if (obj instanceof Error) return errorObject(obj, depth, ctx);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(obj), key, depth + 1, ctx);
  return walkEntries(Object.entries(obj), key, depth, ctx);
}

function walkEntries(
  entries: Iterable<[unknown, unknown]>,
  ownerKey: string | undefined,
  depth: number,
  ctx: Context,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, item] of entries) {
    const key = String(rawKey);
    out[sanitizeString(key, ctx.maxStringLength)] = field(key, item, ownerKey, depth, ctx);
  }
  return out;
}

/** The rules that depend on where a value sits; everything else is the generic walk. */
function field(
  key: string,
  value: unknown,
  ownerKey: string | undefined,
  depth: number,
  ctx: Context,
): unknown {
  if (isSecretField(key) && value != null && value !== '') {
    if (typeof value === 'string') return sanitizeHeaderValue(key, value);
    if (typeof value !== 'object') return '[REDACTED]';
    if (Array.isArray(value)) return value.map(() => '[REDACTED]');
  }
  if (typeof value === 'string') {
    if (SIGNATURE_FIELDS.has(key) || (key === 'data' && ownerKey === 'reasoning_details')) {
      if (value.length > SIGNATURE_LIMIT) return `[signature omitted, ${value.length} chars]`;
    }
    if (BASE64_FIELDS.has(key) || (key === 'data' && ownerKey != null && BASE64_DATA_OWNERS.has(ownerKey))) {
      if (value.length > BASE64_FIELD_LIMIT && !DATA_URL.test(value)) return base64Omitted(value.length);
    }
    if (key === 'embedding' && value.length > BASE64_FIELD_LIMIT && BASE64_CHARS.test(value)) {
      return base64Omitted(value.length);
    }
  }
  if (!ctx.showTools) {
    if (key === 'tools' && Array.isArray(value)) return hideTools(value, depth, ctx);
  }
  if (!ctx.showSchema && value != null) {
    if (SCHEMA_FIELDS.has(key)) return '<JSON Schema hidden>';
    if (key === 'json_schema' && ownerKey === 'response_format') return '<JSON Schema hidden>';
    if (key === 'schema' && ownerKey === 'format') return '<JSON Schema hidden>';
  }
  if (!ctx.showSafety && value != null && SAFETY_FIELDS.has(key)) return '<safety hidden>';
  return walk(value, key, depth + 1, ctx);
}

/**
 * OpenAI (`[{ type: 'function', function: { name } }]`, Responses `[{ type: 'function', name }]`) → one string;
 * Gemini (`[{ functionDeclarations: [...] }, { googleSearch: {} }]`) → each declaration list hidden, native
 * tools kept.
 */
function hideTools(tools: unknown[], depth: number, ctx: Context): unknown {
  const isGemini = tools.some((tool) => isObject(tool) && declarationsOf(tool) !== undefined);
  if (!isGemini) return toolsHidden(tools.map(toolName));
  return tools.map((tool) => {
    if (!isObject(tool)) return walk(tool, 'tools', depth + 2, ctx);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(tool)) {
      out[key] =
        (key === 'functionDeclarations' || key === 'function_declarations') && Array.isArray(item)
          ? toolsHidden(item.map(toolName))
          : field(key, item, 'tools', depth + 2, ctx);
    }
    return out;
  });
}

function declarationsOf(tool: Record<string, unknown>): unknown {
  return tool.functionDeclarations ?? tool.function_declarations;
}

function toolName(tool: unknown): string {
  if (!isObject(tool)) return '?';
  const fn = tool.function;
  const name = (isObject(fn) ? fn.name : undefined) ?? tool.name ?? tool.type;
  return typeof name === 'string' ? redactSecrets(name).slice(0, 64) : '?';
}

function toolsHidden(names: string[]): string {
  return `<${names.length} tools hidden${names.length > 0 ? `: ${names.join(', ')}` : ''}>`;
}

function headersObject(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) out[name] = sanitizeHeaderValue(name, value);
  return out;
}

function formDataObject(form: FormData, depth: number, ctx: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    const item = field(name, value, undefined, depth, ctx);
    const previous = out[name];
    if (previous === undefined) out[name] = item;
    else out[name] = Array.isArray(previous) ? [...previous, item] : [previous, item];
  }
  return out;
}

function blobSummary(blob: Blob): string {
  const name = typeof File !== 'undefined' && blob instanceof File ? ` ${sanitizeString(blob.name)}` : '';
  return `[file${name}${blob.type ? ` (${blob.type})` : ''}, ${blob.size} bytes]`;
}

function errorObject(error: Error, depth: number, ctx: Context): unknown {
  const toJSON = (error as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(error), undefined, depth + 1, ctx);
  const out: Record<string, unknown> = { name: error.name, message: sanitizeString(error.message) };
  for (const [key, item] of Object.entries(error)) out[key] = field(key, item, undefined, depth, ctx);
  if (error.stack != null) out.stack = sanitizeString(error.stack, 4000);
  if (error.cause !== undefined) out.cause = walk(error.cause, 'cause', depth + 1, ctx);
  return out;
}

function shortenDataUrl(text: string, prefix: string): string {
  const payload = text.length - prefix.length;
  // The media type part is short and harmless; redact it anyway in case a caller put text there.
  return payload > BASE64_FIELD_LIMIT
    ? `${redactSecrets(prefix)}${base64Omitted(payload)}`
    : redactSecrets(text);
}

function base64Omitted(length: number): string {
  return `[base64 omitted, ${length} chars]`;
}

function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength || text.length <= HEAD + TAIL + 32) return text;
  // Never split a surrogate pair at either cut.
  let head = HEAD;
  if (isHighSurrogate(text.charCodeAt(head - 1))) head -= 1;
  let tail = text.length - TAIL;
  if (isHighSurrogate(text.charCodeAt(tail - 1))) tail -= 1;
  return `${text.slice(0, head)}…[${tail - head} chars omitted]…${text.slice(tail)}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isSecretField(name: string): boolean {
  return name.length <= 32 && SECRET_FIELDS.has(name.toLowerCase().replace(/[-_]/g, ''));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
