import type { LLMContentPart, LLMMessage, MediaPart } from '../spec/index.js';
import { sniffMimeType } from '../util/mime.js';

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'file']);
const DATA_URL = /^data:([^;,]*)[^,]*,/;

/**
 * The messages as a session stores them without `preserveMediaInHistory`: every media part that carries
 * its bytes (`data`, or a `data:` URL) becomes a text part naming it, so history never re-sends base64:
 * `[image: image/png, 12.3 KB]`, `[file report.pdf: application/pdf, 1.2 MB]`. Media by reference (an
 * http(s), `gs://` or provider file URL) is kept: it is small, and the provider can still read it. A
 * replaced part's thought signature goes with it. Messages without such parts are returned as they are
 * (same objects); the input is never mutated.
 */
export function withMediaPlaceholders(messages: LLMMessage[]): LLMMessage[] {
  let changed = false;
  const out = messages.map((message) => {
    if (!Array.isArray(message.content) || !message.content.some(carriesBytes)) return message;
    changed = true;
    const content = message.content.map(
      (part): LLMContentPart => (carriesBytes(part) ? { type: 'text', text: mediaPlaceholder(part) } : part),
    );
    return { ...message, content };
  });
  return changed ? out : messages;
}

function carriesBytes(part: LLMContentPart): part is MediaPart {
  if (!MEDIA_TYPES.has(part.type)) return false;
  const media = part as MediaPart;
  return (media.data != null && media.data !== '') || media.url?.startsWith('data:') === true;
}

/** The placeholder text of one media part: type, name (when set), MIME type (declared or sniffed) and size. */
export function mediaPlaceholder(part: MediaPart): string {
  const source = part.data != null && part.data !== '' ? part.data : (part.url ?? '');
  const prefix = DATA_URL.exec(source);
  const base64 = prefix == null ? source : source.slice(prefix[0].length);
  const mime = part.mimeType ?? (prefix?.[1] || undefined) ?? sniffedMime(base64);
  const facts = [mime, formatSize(base64Size(base64))].filter((fact) => fact != null && fact !== '');
  const label = part.name != null && part.name !== '' ? `${part.type} ${part.name}` : part.type;
  return `[${label}: ${facts.join(', ')}]`;
}

function sniffedMime(base64: string): string | undefined {
  return sniffMimeType(new Uint8Array(Buffer.from(base64.slice(0, 64), 'base64')));
}

function base64Size(base64: string): number {
  let padding = 0;
  if (base64.endsWith('==')) padding = 2;
  else if (base64.endsWith('=')) padding = 1;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
