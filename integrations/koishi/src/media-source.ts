import type { Mapped } from './elements-to-parts';
import type { MediaPart } from './library-types';

/** The media part types. */
export type MediaKind = MediaPart['type'];

const DATA_URL = /^data:([^,]*?),/i;

function nameOf(url: URL): string | undefined {
  const last = url.pathname.split('/').pop();
  return last != null && last !== '' ? decodeURIComponent(last) : undefined;
}

function fromDataUrl(kind: MediaKind, src: string, name: string | undefined): Mapped<MediaPart> | undefined {
  const match = DATA_URL.exec(src);
  if (match == null) return undefined;
  const header = (match[1] ?? '').split(';');
  const mimeType = header[0] !== '' ? header[0] : undefined;
  const base64 = header.slice(1).some((param) => param.toLowerCase() === 'base64');
  const payload = src.slice(match[0].length);
  let data: string;
  try {
    data = base64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  } catch {
    return undefined;
  }
  const part: MediaPart = { type: kind, data };
  if (mimeType != null) part.mimeType = mimeType;
  if (name != null) part.name = name;
  const warnings = mimeType == null ? [`${kind}: data URL without a MIME type`] : [];
  return { value: part, warnings };
}

/**
 * A media element's `src` → a content part: a `data:` URL → base64 `data` (+ `mimeType`), an `http(s):`
 * URL → `url` (the provider, or the library's `fetchRemoteMedia`, reads it). Anything else (`file:`,
 * `base64://`, platform-internal schemes) → `undefined`: the plugin never reads local files for a chat user.
 * @example mediaPartOf('image', 'data:image/png;base64,iVBO…') // { value: { type: 'image', mimeType: 'image/png', data: 'iVBO…' }, warnings: [] }
 */
export function mediaPartOf(kind: MediaKind, src: string, name?: string): Mapped<MediaPart> | undefined {
  if (src.toLowerCase().startsWith('data:')) return fromDataUrl(kind, src, name);
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const part: MediaPart = { type: kind, url: src };
  const fileName = name ?? (kind === 'file' ? nameOf(url) : undefined);
  if (fileName != null) part.name = fileName;
  return { value: part, warnings: [] };
}
