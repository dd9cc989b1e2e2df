import { isRecord } from '../util/safe-json.js';

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join(' ');
}

function lastUserText(
  items: unknown,
  contentKey: 'content' | 'parts',
  isUser: (role: unknown) => boolean,
): string {
  if (!Array.isArray(items)) return '';
  for (let index = items.length - 1; index >= 0; index--) {
    const item: unknown = items[index];
    const text = isRecord(item) && isUser(item.role) ? textOfContent(item[contentKey]) : '';
    if (text.length > 0) return text;
  }
  return '';
}

/** Last non-empty user text of an OpenAI chat request (`messages`), a Responses request (`input`) or a Gemini request (`contents`). */
export function lastUserTextOf(body: unknown): string {
  if (!isRecord(body)) return '';
  if (Array.isArray(body.messages)) return lastUserText(body.messages, 'content', (role) => role === 'user');
  if (typeof body.input === 'string') return body.input;
  if (Array.isArray(body.input)) return lastUserText(body.input, 'content', (role) => role === 'user');
  if (Array.isArray(body.contents))
    return lastUserText(body.contents, 'parts', (role) => role === 'user' || role == null);
  return '';
}

/** The default answer: `echo: <last user text>`. */
export function echoText(body: unknown): string {
  return `echo: ${lastUserTextOf(body)}`;
}

/** Splits an answer into word-sized deltas (whitespace kept with the preceding word), for streamed defaults. */
export function splitDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}
