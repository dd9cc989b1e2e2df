import type { LLMContentPart } from './library-types';
import { type MediaKind, mediaPartOf } from './media-source';

/** The shape of a Koishi element (`h`) that the mapping reads; Koishi's own `h` objects fit it. */
export interface ElementLike {
  type: string;
  attrs: Record<string, unknown>;
  children: ElementLike[];
}

/** A mapping result: the value, and what was approximated or dropped on the way. */
export interface Mapped<T> {
  value: T;
  warnings: string[];
}

const MEDIA: Record<string, MediaKind> = {
  img: 'image',
  image: 'image',
  audio: 'audio',
  video: 'video',
  file: 'file',
};

/** Longest quoted text kept in a `[quote: "…"]` placeholder. */
export const QUOTE_LIMIT = 200;

function attr(element: ElementLike, name: string): string | undefined {
  const value = element.attrs[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Collects text, and closes a text part whenever a media part comes between. */
class PartList {
  readonly parts: LLMContentPart[] = [];
  readonly warnings: string[] = [];
  private text = '';
  /** The last text added was a placeholder: the next text is separated from it by a space. */
  private afterWord = false;

  addText(text: string): void {
    if (this.afterWord && text !== '' && !/^\s/.test(text)) this.text += ' ';
    this.afterWord = false;
    this.text += text;
  }

  /** Adds a placeholder (`[image]`, `[quote: …]`) as a word of its own: spaces around it, never doubled. */
  addWord(word: string): void {
    if (this.text !== '' && !/\s$/.test(this.text)) this.text += ' ';
    this.text += word;
    this.afterWord = true;
  }

  addMedia(part: LLMContentPart): void {
    this.flush();
    this.afterWord = false;
    this.parts.push(part);
  }

  flush(): void {
    const text = this.text.trim();
    if (text !== '') this.parts.push({ type: 'text', text });
    this.text = '';
  }
}

/** The plain text of elements: text, mentions as `@name`, everything else by its children's text. */
export function textOfElements(elements: readonly ElementLike[]): string {
  const list = new PartList();
  for (const element of elements) visit(element, list, true);
  list.flush();
  return list.parts.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

/** `[quote: "first 200 characters…"]` for the text of a quoted message. */
export function quotePlaceholder(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT)}…` : flat;
  return shown === '' ? '[quote]' : `[quote: "${shown}"]`;
}

function visitMedia(element: ElementLike, kind: MediaKind, list: PartList, textOnly: boolean): void {
  const src = attr(element, 'src') ?? attr(element, 'url');
  const name = attr(element, 'title') ?? attr(element, 'name') ?? attr(element, 'filename');
  const mapped = src != null ? mediaPartOf(kind, src, name) : undefined;
  if (mapped == null || textOnly) {
    if (mapped == null)
      list.warnings.push(`${element.type}: no usable src (data: or http(s): URL); kept as text`);
    list.addWord(name != null ? `[${kind}: ${name}]` : `[${kind}]`);
    return;
  }
  list.warnings.push(...mapped.warnings);
  list.addMedia(mapped.value);
}

function visitChildren(element: ElementLike, list: PartList, textOnly: boolean): void {
  for (const child of element.children) visit(child, list, textOnly);
}

function visit(element: ElementLike, list: PartList, textOnly: boolean): void {
  const media = MEDIA[element.type];
  if (media != null) {
    visitMedia(element, media, list, textOnly);
    return;
  }
  switch (element.type) {
    case 'text':
      list.addText(attr(element, 'content') ?? '');
      return;
    case 'at': {
      const type = attr(element, 'type');
      if (type === 'all' || type === 'here') list.addText(`@${type}`);
      else list.addText(`@${attr(element, 'name') ?? attr(element, 'id') ?? 'someone'}`);
      return;
    }
    case 'sharp':
      list.addText(`#${attr(element, 'name') ?? attr(element, 'id') ?? 'channel'}`);
      return;
    case 'quote':
      list.addWord(quotePlaceholder(textOfElements(element.children)));
      return;
    case 'face':
      list.addText(`[${attr(element, 'name') ?? 'face'}]`);
      return;
    case 'br':
      list.addText('\n');
      return;
    case 'p':
      visitChildren(element, list, textOnly);
      list.addText('\n');
      return;
    case 'a': {
      const href = attr(element, 'href');
      if (element.children.length > 0) visitChildren(element, list, textOnly);
      else if (href != null) list.addText(href);
      return;
    }
    default:
      // Any other element (styling, message, author, button, …) stands for its children's text.
      visitChildren(element, list, textOnly);
  }
}

/**
 * A Koishi message's elements → content parts (API.md §17): text as text; `img`/`image`/`audio`/`video`/
 * `file` with a `data:` URL → a part with base64 `data` and `mimeType`, with an http(s) URL → a part with
 * `url`; `at` → `@name` (`@id` without a name, `@all`/`@here`), `sharp` → `#name`, `quote` →
 * `[quote: "…"]`; every other element → the text of its children. Adjacent text is one part, trimmed;
 * empty text parts are dropped. Media without a usable source become `[image]`-style text, with a warning.
 * @example elementsToParts(h.parse('what is <img src="https://x/cat.png"/>?')).value
 * // [{ type: 'text', text: 'what is' }, { type: 'image', url: 'https://x/cat.png' }, { type: 'text', text: '?' }]
 */
export function elementsToParts(elements: readonly ElementLike[]): Mapped<LLMContentPart[]> {
  const list = new PartList();
  for (const element of elements) visit(element, list, false);
  list.flush();
  return { value: list.parts, warnings: list.warnings };
}
