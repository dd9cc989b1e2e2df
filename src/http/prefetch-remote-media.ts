import { LLMError } from '../errors/llm-error.js';
import type { FetchRemoteMediaSetting, LLMContentPart, LLMMessage, MediaPart } from '../spec/index.js';
import type {
  DownloadContext,
  DownloadedMedia,
  downloadRemoteMedia,
  RemoteMediaOptions,
} from './download-remote-media.js';

/** What `prefetchRemoteMedia` takes besides the messages. */
export interface PrefetchContext extends DownloadContext {
  /** Which URL-only media parts to download. @default `isDownloadableMediaUrl(part.url)` */
  shouldFetch?: ((part: MediaPart) => boolean) | undefined;
  /** Most downloads at once. @default 4 */
  concurrency?: number | undefined;
  /** The downloader (tests inject one). @default downloadRemoteMedia */
  download?: typeof downloadRemoteMedia | undefined;
}

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'file']);
// Gemini takes these by reference (Files API uploads, YouTube videos): never download them.
const GEMINI_FILE_URL = /^https:\/\/generativelanguage\.googleapis\.com\/[^?#]*\/files\//i;
const YOUTUBE_URL = /^https?:\/\/(?:(?:www\.|m\.)?youtube\.com\/|youtu\.be\/)/i;

/**
 * True for an http(s) URL a provider that needs inline data cannot take by reference: everything but
 * Gemini Files API URIs and YouTube links (which Gemini reads itself).
 */
export function isDownloadableMediaUrl(url: string | undefined): boolean {
  if (url == null || !/^https?:\/\//i.test(url)) return false;
  return !GEMINI_FILE_URL.test(url) && !YOUTUBE_URL.test(url);
}

/**
 * The effective `fetchRemoteMedia` of a call: the call's setting over the client's (`false` turns it off,
 * `true` keeps the client's options, an object is merged over them); `undefined` when downloads are off.
 * @throws LLMError `INVALID_PARAMETER` naming the bad field.
 * @example resolveFetchRemoteMedia({ maxBytes: 5e6 }, true) // { maxBytes: 5000000 }
 */
export function resolveFetchRemoteMedia(
  config: FetchRemoteMediaSetting | undefined,
  call?: FetchRemoteMediaSetting,
): RemoteMediaOptions | undefined {
  const base = optionsOf(config, 'fetchRemoteMedia');
  if (call === undefined) return base;
  const override = optionsOf(call, 'options.fetchRemoteMedia');
  if (override === undefined) return undefined;
  return { ...base, ...override };
}

function optionsOf(setting: unknown, path: string): RemoteMediaOptions | undefined {
  if (setting == null || setting === false) return undefined;
  if (setting === true) return {};
  if (typeof setting !== 'object' || Array.isArray(setting)) {
    throw invalid(path, `must be a boolean or { allowPrivateNetworks?, maxBytes? } (got ${typeof setting})`);
  }
  const { allowPrivateNetworks, maxBytes, ...rest } = setting as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw invalid(`${path}.${unknown[0]}`, 'unknown option (known: allowPrivateNetworks, maxBytes)');
  const options: RemoteMediaOptions = {};
  if (allowPrivateNetworks !== undefined) {
    if (typeof allowPrivateNetworks !== 'boolean')
      throw invalid(`${path}.allowPrivateNetworks`, 'must be a boolean');
    options.allowPrivateNetworks = allowPrivateNetworks;
  }
  if (maxBytes !== undefined) {
    if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 1) {
      throw invalid(`${path}.maxBytes`, `must be a whole number ≥ 1 (got ${String(maxBytes)})`);
    }
    options.maxBytes = maxBytes;
  }
  return options;
}

function invalid(path: string, message: string): LLMError {
  return new LLMError('INVALID_PARAMETER', `${path}: ${message}`, { details: { path } });
}

/**
 * Downloads the URL-only media of a call's messages once, before the pipeline runs (so retries re-send the
 * same bytes and never download again), and returns the messages with those parts inline (`data` base64,
 * `mimeType` sniffed from the bytes, else the part's own, else the answer's `content-type`; `url` dropped).
 * Each distinct URL is downloaded once, even when several parts use it. With downloads off (`options`
 * undefined) or nothing to download, returns `messages` itself; otherwise only changed messages are copied,
 * and the input is never mutated. The first failed download aborts the others and rejects with its
 * `LLMError` (see `downloadRemoteMedia`), its message and `details.path` naming the part.
 *
 * @example
 * const sent = await prefetchRemoteMedia(messages, resolveFetchRemoteMedia(config.fetchRemoteMedia, call.fetchRemoteMedia), { signal, deadline, clock })
 */
export async function prefetchRemoteMedia(
  messages: LLMMessage[],
  options: RemoteMediaOptions | undefined,
  context: PrefetchContext = {},
): Promise<LLMMessage[]> {
  if (options === undefined) return messages;
  const shouldFetch = context.shouldFetch ?? ((part: MediaPart) => isDownloadableMediaUrl(part.url));
  const wanted = new Map<string, string>(); // url → path of its first part
  messages.forEach((message, m) => {
    if (!Array.isArray(message.content)) return;
    message.content.forEach((part, p) => {
      if (isUrlOnlyMedia(part) && shouldFetch(part) && !wanted.has(part.url)) {
        wanted.set(part.url, `messages[${m}].content[${p}]`);
      }
    });
  });
  if (wanted.size === 0) return messages;

  const downloaded = await downloadAll(wanted, options, context);
  return messages.map((message) => {
    if (!Array.isArray(message.content)) return message;
    let changed = false;
    const content = message.content.map((part) => {
      const media = isUrlOnlyMedia(part) ? downloaded.get(part.url) : undefined;
      if (media === undefined) return part;
      changed = true;
      return inlined(part as MediaPart & { url: string }, media);
    });
    return changed ? { ...message, content } : message;
  });
}

function isUrlOnlyMedia(part: LLMContentPart): part is MediaPart & { url: string } {
  if (!MEDIA_TYPES.has(part.type)) return false;
  const media = part as MediaPart;
  return (media.data == null || media.data === '') && typeof media.url === 'string';
}

function inlined(part: MediaPart & { url: string }, media: DownloadedMedia): MediaPart {
  const { url: _url, ...rest } = part;
  const mimeType = media.sniffed ? media.mimeType : (part.mimeType ?? media.mimeType);
  const out: MediaPart = { ...rest, data: Buffer.from(media.data).toString('base64') };
  if (mimeType != null) out.mimeType = mimeType;
  return out;
}

async function downloadAll(
  wanted: Map<string, string>,
  options: RemoteMediaOptions,
  context: PrefetchContext,
): Promise<Map<string, DownloadedMedia>> {
  // The downloader (DNS lookups, the address policy) is loaded by the first call that downloads.
  const download = context.download ?? (await import('./download-remote-media.js')).downloadRemoteMedia;
  const controller = new AbortController();
  const onAbort = () => controller.abort(context.signal?.reason);
  if (context.signal?.aborted) onAbort();
  else context.signal?.addEventListener('abort', onAbort, { once: true });
  const { shouldFetch: _s, concurrency: _c, download: _d, ...downloadContext } = context;
  const queue = [...wanted];
  const results = new Map<string, DownloadedMedia>();
  let failure: LLMError | undefined;
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined && failure === undefined; next = queue.shift()) {
      const [url, path] = next;
      try {
        results.set(url, await download(url, options, { ...downloadContext, signal: controller.signal }));
      } catch (error) {
        // The first failure wins; the aborts it causes in the other downloads are not reported.
        if (failure === undefined) {
          failure = context.signal?.aborted ? LLMError.from(error, 'ABORTED') : atPath(error, path);
          controller.abort(failure);
        }
      }
    }
  };
  try {
    const workers = Math.max(1, Math.min(context.concurrency ?? 4, wanted.size));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    context.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure;
  return results;
}

function atPath(error: unknown, path: string): LLMError {
  const cause = LLMError.from(error, 'API_REQUEST_FAILED');
  return new LLMError(cause.code, `${path}: ${cause.message}`, {
    details: { ...cause.details, path },
    cause,
  });
}
