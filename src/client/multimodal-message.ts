import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LLMError } from '../errors/llm-error.js';
import type { LLMContentPart, LLMMessage, MediaKind, MediaPart } from '../spec/index.js';
import { mediaKindOf, mimeFromFileName, sniffMimeType } from '../util/mime.js';

/**
 * One media item: a file path, a `file:` URL, a `data:` URL, an `http(s)://` or `gs://` URL (passed by
 * reference, never fetched), bytes (`Buffer`/`Uint8Array`), or an object naming one of those with an explicit
 * `mimeType` and `name`.
 *
 * @example './photo.jpg'
 * @example { data: pcmBytes, mimeType: 'audio/L16;rate=16000' }
 */
export type MediaInput =
  | string
  | URL
  | Uint8Array
  | { path: string; mimeType?: string; name?: string }
  | { url: string; mimeType?: string; name?: string }
  | { data: Uint8Array | string; mimeType?: string; name?: string };

/** What `createMultimodalMessage` builds a user message from. Each media field takes one item or a list. */
export interface MultimodalInput {
  text?: string;
  images?: MediaInput | MediaInput[];
  audios?: MediaInput | MediaInput[];
  videos?: MediaInput | MediaInput[];
  files?: MediaInput | MediaInput[];
}

/** Options of `createMultimodalMessage`. */
export interface MultimodalOptions {
  /** Largest item sent inline (read from a file, bytes or a data URL), in bytes. @default 20971520 (20 MB) */
  maxInlineBytes?: number;
}

const DEFAULT_MAX_INLINE_BYTES = 20 * 1024 * 1024;
const FIELDS = [
  ['images', 'image'],
  ['audios', 'audio'],
  ['videos', 'video'],
  ['files', 'file'],
] as const;

/**
 * A user message with content parts: the text first, then images, audios, videos and files in the order
 * given. Local items (paths, bytes, data URLs) are inlined as base64; `http(s)://` and `gs://` URLs become
 * `url` parts and are never fetched (the provider reads them, where it can).
 *
 * The MIME type comes from the bytes (`sniffMimeType`), else from the file name or URL, else from a data URL's
 * declared type; an explicit `mimeType` wins over all. The part's type follows that MIME type, not the field
 * the item was passed in: a PDF given in `images` becomes a `file` part, an MP3 in `files` an `audio` part (a
 * correction, not an error). Items whose type cannot be found: in `files` they are sent as `text/plain` when
 * the bytes are UTF-8 text, else `application/octet-stream`; in the other fields they are refused. URL items
 * of unknown type keep the field's part type and no `mimeType`.
 *
 * @throws LLMError `INVALID_PARAMETER` naming the item (`images[1]`) and the path: a missing or unreadable
 *   file, an item over `maxInlineBytes` (the size and the limit are named), a malformed data URL, media of
 *   unknown type, or a message with nothing in it.
 * @example const message = await createMultimodalMessage({ text: 'What is in this picture?', images: ['./cat.png'] });
 *   await llm.chat(message);
 */
export async function createMultimodalMessage(
  input: MultimodalInput,
  options: MultimodalOptions = {},
): Promise<LLMMessage> {
  if (input == null || typeof input !== 'object')
    throw invalid('input', 'must be an object { text, images, … }');
  const limit = options.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES;
  if (!Number.isFinite(limit) || limit <= 0)
    throw invalid('maxInlineBytes', 'must be a positive number of bytes');
  const parts: LLMContentPart[] = [];
  if (input.text != null) {
    if (typeof input.text !== 'string') throw invalid('text', 'must be a string');
    if (input.text !== '') parts.push({ type: 'text', text: input.text });
  }
  const pending: Promise<MediaPart>[] = [];
  for (const [field, kind] of FIELDS) {
    const value = input[field];
    if (value == null) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      pending.push(mediaPart(item, kind, Array.isArray(value) ? `${field}[${index}]` : field, limit));
    });
  }
  parts.push(...(await Promise.all(pending)));
  if (parts.length === 0) throw invalid('input', 'has no text and no media');
  return { role: 'user', content: parts };
}

/** Bytes to inline, with what is known about their type. */
interface Inline {
  bytes: Uint8Array;
  declaredMime?: string;
  name?: string;
  source: string;
}

async function mediaPart(item: MediaInput, kind: MediaKind, path: string, limit: number): Promise<MediaPart> {
  if (item instanceof Uint8Array)
    return inlinePart({ bytes: item, source: 'bytes' }, kind, path, limit, undefined);
  if (item instanceof URL) return fromString(item.href, kind, path, limit, undefined, undefined);
  if (typeof item === 'string') return fromString(item, kind, path, limit, undefined, undefined);
  if (item == null || typeof item !== 'object') {
    throw invalid(path, 'must be a path, a URL, a data URL, bytes, or { path | url | data, mimeType? }');
  }
  const { mimeType, name: rawName } = item as { mimeType?: unknown; name?: unknown };
  if (mimeType != null && typeof mimeType !== 'string') throw invalid(`${path}.mimeType`, 'must be a string');
  if (rawName != null && typeof rawName !== 'string') throw invalid(`${path}.name`, 'must be a string');
  const explicit = typeof mimeType === 'string' ? mimeType : undefined;
  const name = typeof rawName === 'string' ? rawName : undefined;
  if ('data' in item) {
    const { data } = item;
    if (data instanceof Uint8Array) {
      const inline: Inline = { bytes: data, source: 'bytes' };
      if (name != null) inline.name = name;
      return inlinePart(inline, kind, path, limit, explicit);
    }
    if (typeof data === 'string') {
      const bytes = data.startsWith('data:') ? undefined : decodeBase64(data, path, limit);
      if (bytes === undefined) return fromString(data, kind, path, limit, explicit, name);
      const inline: Inline = { bytes, source: 'base64 data' };
      if (name != null) inline.name = name;
      return inlinePart(inline, kind, path, limit, explicit);
    }
    throw invalid(`${path}.data`, 'must be bytes or a base64 string');
  }
  if ('path' in item && typeof item.path === 'string') {
    return inlinePart(await readPath(item.path, path, limit, name), kind, path, limit, explicit);
  }
  if ('url' in item && typeof item.url === 'string')
    return fromString(item.url, kind, path, limit, explicit, name);
  throw invalid(path, 'needs one of `path`, `url` or `data`');
}

async function fromString(
  value: string,
  kind: MediaKind,
  path: string,
  limit: number,
  explicit: string | undefined,
  name: string | undefined,
): Promise<MediaPart> {
  if (/^data:/i.test(value)) {
    const inline = parseDataUrl(value, path, limit);
    if (name != null) inline.name = name;
    return inlinePart(inline, kind, path, limit, explicit);
  }
  if (/^(https?:\/\/|gs:\/\/)/i.test(value)) {
    const mime = explicit ?? mimeFromFileName(value);
    const part: MediaPart = { type: mime === undefined ? kind : mediaKindOf(mime), url: value };
    if (mime !== undefined) part.mimeType = mime;
    if (name != null) part.name = name;
    return part;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^file:/i.test(value)) {
    throw invalid(
      path,
      `unsupported URL scheme (${value.slice(0, value.indexOf(':'))}); use http(s), gs, file or data`,
    );
  }
  const filePath = /^file:/i.test(value) ? fileURLToPath(value) : value;
  return inlinePart(await readPath(filePath, path, limit, name), kind, path, limit, explicit);
}

async function readPath(
  filePath: string,
  path: string,
  limit: number,
  name: string | undefined,
): Promise<Inline> {
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw invalid(path, `${filePath} is not a file`, { file: filePath });
    size = info.size;
  } catch (error) {
    if (LLMError.isInstance(error)) throw error;
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw invalid(path, `cannot read ${filePath}: ${why}`, { file: filePath }, error);
  }
  checkSize(size, limit, path, filePath);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw invalid(path, `cannot read ${filePath}`, { file: filePath }, error);
  }
  checkSize(bytes.length, limit, path, filePath);
  return { bytes, name: name ?? basename(filePath), source: filePath };
}

function inlinePart(
  inline: Inline,
  kind: MediaKind,
  path: string,
  limit: number,
  explicit: string | undefined,
): MediaPart {
  checkSize(inline.bytes.length, limit, path, inline.source);
  const mime =
    explicit ??
    sniffMimeType(inline.bytes) ??
    (inline.name !== undefined ? mimeFromFileName(inline.name) : undefined) ??
    inline.declaredMime ??
    (kind === 'file' ? (isUtf8Text(inline.bytes) ? 'text/plain' : 'application/octet-stream') : undefined);
  if (mime === undefined) {
    throw invalid(path, `cannot tell the ${kind} type of ${inline.source}; pass { data, mimeType }`, {
      source: inline.source,
    });
  }
  const part: MediaPart = {
    type: mediaKindOf(mime),
    mimeType: mime,
    data: Buffer.from(inline.bytes).toString('base64'),
  };
  if (inline.name !== undefined) part.name = inline.name;
  return part;
}

function parseDataUrl(value: string, path: string, limit: number): Inline {
  const comma = value.indexOf(',');
  if (comma < 0) throw invalid(path, 'malformed data URL (no comma)');
  const meta = value.slice(5, comma).split(';');
  const isBase64 = meta.some((segment) => segment.toLowerCase() === 'base64');
  const declared = meta[0]?.trim().toLowerCase();
  const payload = value.slice(comma + 1);
  let bytes: Uint8Array;
  if (isBase64) {
    bytes = decodeBase64(payload, path, limit);
  } else {
    try {
      bytes = Buffer.from(decodeURIComponent(payload), 'utf8');
    } catch (error) {
      throw invalid(path, 'malformed data URL (bad percent-encoding)', undefined, error);
    }
  }
  const inline: Inline = { bytes, source: 'data URL' };
  if (declared != null && declared !== '') inline.declaredMime = declared;
  return inline;
}

function decodeBase64(payload: string, path: string, limit: number): Uint8Array {
  const compact = payload.replace(/\s+/g, '');
  // Check the size before decoding: base64 is 4 characters per 3 bytes.
  checkSize(Math.floor((compact.length * 3) / 4), limit, path, 'base64 data');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) throw invalid(path, 'malformed base64 data');
  return Buffer.from(compact, 'base64');
}

function checkSize(size: number, limit: number, path: string, source: string): void {
  if (size <= limit) return;
  throw invalid(
    path,
    `${source} is ${formatBytes(size)}, over the inline media limit of ${formatBytes(limit)} (maxInlineBytes); ` +
      'upload large media to the provider and pass its URL instead',
    { source, size, limit },
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

function isUtf8Text(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return false;
  try {
    // `stream`: a multi-byte character cut at the 8 KB boundary is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function invalid(
  path: string,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): LLMError {
  return new LLMError('INVALID_PARAMETER', `createMultimodalMessage: ${path}: ${message}`, {
    details: { path, ...details },
    ...(cause !== undefined ? { cause } : {}),
  });
}
