import type { ResolvedModel } from '../config/resolved-config.js';
import type { DownloadedMedia, RemoteMediaOptions } from '../http/download-remote-media.js';
import {
  isDownloadableMediaUrl,
  type PrefetchContext,
  prefetchRemoteMedia,
  resolveFetchRemoteMedia,
} from '../http/prefetch-remote-media.js';
import type { FetchRemoteMediaSetting, LLMMessage, MediaPart } from '../spec/index.js';
import type { CallScope } from './call-scope.js';
import type { ClientContext } from './client-context.js';

/**
 * The remote media of one public call with `fetchRemoteMedia` on: its options and a downloader that fetches
 * each URL at most once per call, however many requests (tool rounds, validation re-asks, structured
 * re-asks, retries) the call makes.
 */
export interface CallMedia {
  readonly options: RemoteMediaOptions;
  readonly download: NonNullable<PrefetchContext['download']>;
}

/**
 * The call's media downloader: the call's `fetchRemoteMedia` over the client's; `undefined` when downloads
 * are off. @throws LLMError `INVALID_PARAMETER` naming a bad `options.fetchRemoteMedia` field.
 */
export function callMediaFor(
  ctx: ClientContext,
  setting: FetchRemoteMediaSetting | undefined,
): CallMedia | undefined {
  const options = resolveFetchRemoteMedia(ctx.config.fetchRemoteMedia, setting);
  if (options === undefined) return undefined;
  const downloads = new Map<string, Promise<DownloadedMedia>>();
  return {
    options,
    download: (url, downloadOptions, context) => {
      let pending = downloads.get(url);
      if (pending === undefined) {
        // The downloader (DNS lookups, the address policy) loads with the first download of the process.
        pending = import('../http/download-remote-media.js').then(({ downloadRemoteMedia }) =>
          downloadRemoteMedia(url, downloadOptions, context),
        );
        downloads.set(url, pending);
      }
      return pending;
    },
  };
}

/** True when `model`'s definition needs some media kind inline (`ProviderDefinition.mediaUrls`). */
function needsInlineMedia(model: ResolvedModel): boolean {
  const urls = model.definition.mediaUrls;
  return urls != null && Object.values(urls).includes(false);
}

/**
 * `messages` with the URL-only media parts `model` cannot take by URL downloaded and inlined (see
 * `ProviderDefinition.mediaUrls`), within the call's deadline and signal. `messages` itself when downloads
 * are off, the model takes every URL, or nothing needs downloading. Errors name the part
 * (`messages[0].content[1]: media download …`); the caller adds provider and model.
 */
export async function inlineRemoteMedia(
  ctx: ClientContext,
  model: ResolvedModel,
  media: CallMedia | undefined,
  messages: LLMMessage[],
  scope: CallScope,
): Promise<LLMMessage[]> {
  if (media === undefined || !needsInlineMedia(model)) return messages;
  const urls = model.definition.mediaUrls ?? {};
  return prefetchRemoteMedia(messages, media.options, {
    shouldFetch: (part: MediaPart) => urls[part.type] === false && isDownloadableMediaUrl(part.url),
    signal: scope.signal,
    deadline: scope.deadline,
    clock: ctx.clock,
    download: media.download,
  });
}

/** A downloader of one URL for the call (the Markdown-image rescue), within its deadline and signal. */
export function downloaderFor(
  ctx: ClientContext,
  media: CallMedia,
  scope: CallScope,
): (url: string) => Promise<DownloadedMedia> {
  return (url) =>
    media.download(url, media.options, { signal: scope.signal, deadline: scope.deadline, clock: ctx.clock });
}
