import { LLMError } from '../../errors/llm-error.js';
import type { MediaPart } from '../../spec/index.js';
import { mimeFromFileName, sniffMimeType } from '../../util/mime.js';
import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicImageMediaType,
} from './anthropic-wire.js';

const IMAGE_TYPES: ReadonlySet<string> = new Set<AnthropicImageMediaType>([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s;

/** Bytes, base64 without prefix, and a MIME type when one was given or could be sniffed. */
interface InlineMedia {
  data: string;
  mimeType?: string;
}

/** `data:` URL or base64 `data` → base64 payload and its MIME type. */
function inlineOf(part: MediaPart, where: string): InlineMedia | undefined {
  const dataUrl = part.url?.startsWith('data:')
    ? part.url
    : part.data?.startsWith('data:')
      ? part.data
      : null;
  if (dataUrl != null) {
    const match = DATA_URL.exec(dataUrl);
    if (match == null) throw new LLMError('INVALID_PARAMETER', `${where}: malformed data URL`);
    const payload = match[4] ?? '';
    const data = match[3] != null ? payload : Buffer.from(decodeURIComponent(payload)).toString('base64');
    const mimeType = part.mimeType ?? (match[1] !== '' ? match[1] : undefined) ?? sniff(data);
    return mimeType != null ? { data, mimeType } : { data };
  }
  if (part.data == null) return undefined;
  const mimeType = part.mimeType ?? sniff(part.data) ?? nameMime(part);
  return mimeType != null ? { data: part.data, mimeType } : { data: part.data };
}

function sniff(base64: string): string | undefined {
  return sniffMimeType(Buffer.from(base64.slice(0, 64), 'base64'));
}

function nameMime(part: MediaPart): string | undefined {
  if (part.name != null) return mimeFromFileName(part.name);
  if (part.url != null) return mimeFromFileName(part.url);
  return undefined;
}

/** Options of `anthropicMediaBlock`. */
export interface MediaBlockOptions {
  /** `customParams.citations`: documents get `citations: { enabled: true }`. */
  citations: boolean;
  /** Where the part is, for warnings and errors (`messages[2].content[1]`). */
  where: string;
}

/**
 * A media part as an Anthropic block: images (base64 or http(s) URL) → `image`; PDFs (base64 or URL) and
 * plain text files → `document` (with the part's `name` as `title`). Audio, video and other file types have
 * no Anthropic block and are reported (`undefined` + a warning).
 */
export function anthropicMediaBlock(
  part: MediaPart,
  options: MediaBlockOptions,
  warnings: string[],
): AnthropicImageBlock | AnthropicDocumentBlock | undefined {
  const { where } = options;
  const inline = inlineOf(part, where);
  const url = inline == null ? part.url : undefined;
  if (inline == null && url == null) {
    throw new LLMError('INVALID_PARAMETER', `${where}: a ${part.type} part needs data or url`);
  }
  const mimeType = (inline?.mimeType ?? part.mimeType ?? nameMime(part))?.toLowerCase();
  const isImage = part.type === 'image' || mimeType?.startsWith('image/') === true;
  const cache = part.cacheControl != null ? { cache_control: { ...part.cacheControl } } : {};
  if (part.type === 'audio' || part.type === 'video' || (!isImage && mimeType?.match(/^(audio|video)\//))) {
    warnings.push(`${where}: Anthropic does not take ${part.type} input; not sent`);
    return undefined;
  }
  if (isImage) {
    if (inline != null) {
      const mediaType = (inline.mimeType ?? 'image/png').toLowerCase().replace('image/jpg', 'image/jpeg');
      if (!IMAGE_TYPES.has(mediaType)) {
        warnings.push(`${where}: Anthropic takes PNG, JPEG, GIF and WebP images; ${mediaType} not sent`);
        return undefined;
      }
      const media_type = mediaType as AnthropicImageMediaType;
      return { type: 'image', source: { type: 'base64', media_type, data: inline.data }, ...cache };
    }
    return { type: 'image', source: { type: 'url', url: url as string }, ...cache };
  }
  const doc: Omit<AnthropicDocumentBlock, 'source'> = { type: 'document' };
  if (part.name != null && part.name !== '') doc.title = part.name;
  if (options.citations) doc.citations = { enabled: true };
  if (part.cacheControl != null) doc.cache_control = { ...part.cacheControl };
  if (mimeType === 'application/pdf') {
    const source: AnthropicDocumentBlock['source'] =
      inline != null
        ? { type: 'base64', media_type: 'application/pdf', data: inline.data }
        : { type: 'url', url: url as string };
    return { ...doc, source } as AnthropicDocumentBlock;
  }
  if (mimeType?.startsWith('text/') === true && inline != null) {
    const text = Buffer.from(inline.data, 'base64').toString('utf8');
    return {
      ...doc,
      source: { type: 'text', media_type: 'text/plain', data: text },
    } as AnthropicDocumentBlock;
  }
  warnings.push(
    `${where}: Anthropic takes PDF (data or URL) and plain-text (data) files; ${mimeType ?? 'unknown type'} not sent`,
  );
  return undefined;
}
