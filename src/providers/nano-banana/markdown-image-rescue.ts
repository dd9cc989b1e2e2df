import type { DownloadedMedia } from '../../http/download-remote-media.js';
import type { GeneratedImage, LLMContentPart, ParsedChat } from '../../spec/index.js';
import { mimeFromFileName } from '../../util/mime.js';

/** One Markdown link or image in a text answer. */
export interface MarkdownImageLink {
  /** The whole tag as written, e.g. `![cat](https://x.test/cat.png "A cat")`. */
  markdown: string;
  /** `![…](…)` (true) or a plain link `[…](…)` (false). */
  image: boolean;
  alt: string;
  /** The http(s) URL. */
  url: string;
}

// `![alt](url)`, `[text](url)`, with an optional "title"; http(s) URLs only.
const LINK = /(!?)\[([^\]\n]*)\]\(\s*<?(https?:\/\/[^\s)>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;

/**
 * The Markdown links and images with http(s) targets in `text`, in order (the seed's rescue looked at both:
 * relays answer image requests with `![image](https://…)` or `[download](https://…)`).
 * @example findMarkdownImageLinks('Here: ![cat](https://x.test/c.png)') // [{ image: true, alt: 'cat', url: 'https://x.test/c.png', markdown: '![cat](https://x.test/c.png)' }]
 */
export function findMarkdownImageLinks(text: string): MarkdownImageLink[] {
  const links: MarkdownImageLink[] = [];
  for (const match of text.matchAll(LINK)) {
    links.push({ markdown: match[0], image: match[1] === '!', alt: match[2] ?? '', url: match[3] ?? '' });
  }
  return links;
}

/** What the rescue needs: a downloader (the client's, honouring `fetchRemoteMedia`), or none. */
export interface MarkdownRescueOptions {
  /**
   * Downloads one URL (e.g. `(url) => downloadRemoteMedia(url, fetchRemoteMedia, { signal, deadline })`).
   * Absent (downloads off): `![…](…)` images come back as URL-only images (empty `data`), plain links stay.
   */
  download?: (url: string) => Promise<DownloadedMedia>;
}

/**
 * The seed's image rescue (seed-spec §4.6 step 8), for a call that required an image: when the answer has
 * no image but its text holds Markdown links, each distinct URL is downloaded once (concurrently) and
 * every download typed `image/*` becomes an image (bytes in `images`, an image part in `contentParts`),
 * its Markdown tags removed from the text (every occurrence) and the text trimmed. A failed download, or
 * one that is not an image, leaves its link in the text and adds a warning. Answers that already have
 * images, or no links, are returned as they are. Never throws for a download; never mutates `parsed`.
 * For an `LLMResponse`, rebuild its `message` from the returned `contentParts`.
 */
export async function rescueMarkdownImages<T extends RescuableAnswer>(
  parsed: T,
  options: MarkdownRescueOptions = {},
): Promise<T> {
  if (parsed.images.length > 0) return parsed;
  const links = findMarkdownImageLinks(parsed.text);
  const download = options.download;
  const candidates = download != null ? links : links.filter((link) => link.image);
  const urls = [...new Set(candidates.map((link) => link.url))];
  if (urls.length === 0) return parsed;

  const warnings: string[] = [];
  const rescued = new Map<string, { image: GeneratedImage; part: LLMContentPart }>();
  const outcomes = await Promise.all(
    urls.map(async (url) => {
      if (download == null) return { url, media: undefined, error: undefined };
      try {
        return { url, media: await download(url), error: undefined };
      } catch (error) {
        return { url, media: undefined, error };
      }
    }),
  );
  for (const { url, media, error } of outcomes) {
    if (error !== undefined) {
      warnings.push(`image link ${shortUrl(url)} could not be downloaded: ${messageOf(error)}`);
    } else if (media === undefined) {
      const mimeType = mimeFromFileName(url) ?? 'image/png';
      rescued.set(url, {
        image: { mimeType, data: new Uint8Array(0), url },
        part: { type: 'image', mimeType, url },
      });
    } else if (media.mimeType?.startsWith('image/') === true) {
      rescued.set(url, {
        image: { mimeType: media.mimeType, data: media.data, url },
        part: { type: 'image', mimeType: media.mimeType, data: Buffer.from(media.data).toString('base64') },
      });
    } else {
      warnings.push(
        `link ${shortUrl(url)} is not an image (${media.mimeType ?? 'unknown type'}); left in the text`,
      );
    }
  }
  if (rescued.size === 0) return { ...parsed, warnings: [...parsed.warnings, ...warnings] };

  const tags = links.filter((link) => rescued.has(link.url)).map((link) => link.markdown);
  const strip = (text: string) => tags.reduce((out, tag) => out.split(tag).join(''), text);
  const contentParts: LLMContentPart[] = [];
  for (const part of parsed.contentParts) {
    if (part.type !== 'text') {
      contentParts.push(part);
      continue;
    }
    const text = strip(part.text).trim();
    if (text !== '' || part.thoughtSignature != null) contentParts.push({ ...part, text });
  }
  const found = [...rescued.values()];
  return {
    ...parsed,
    text: strip(parsed.text).trim(),
    contentParts: [...contentParts, ...found.map((entry) => entry.part)],
    images: found.map((entry) => entry.image),
    warnings: [...parsed.warnings, ...warnings],
  };
}

/** The fields of a parsed answer (or an `LLMResponse`) the rescue reads and rewrites. */
export type RescuableAnswer = Pick<ParsedChat, 'text' | 'contentParts' | 'images' | 'warnings'>;

function shortUrl(url: string): string {
  const bare = url.split(/[?#]/, 1)[0] ?? url;
  return bare.length > 120 ? `${bare.slice(0, 120)}…` : bare;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
