import { h } from 'koishi';
import type { Mapped } from './elements-to-parts';
import type { LLMResponse } from './library-types';

/** What of a response becomes the reply. */
export type AnswerLike = Pick<LLMResponse, 'text' | 'images'>;

/**
 * An answer → Koishi elements: its text as one text element (when not blank), then each image as an
 * `img` element with a `data:` URL of its bytes (or its `url` when it came without bytes). An answer with
 * neither gives `[]` and a warning.
 * @example answerToElements(await llm.chat('hi')).value // [h.text('Hello!')]
 */
export function answerToElements(answer: AnswerLike): Mapped<h[]> {
  const value: h[] = [];
  const warnings: string[] = [];
  if (answer.text.trim() !== '') value.push(h.text(answer.text));
  for (const image of answer.images) {
    if (image.data.byteLength > 0) {
      const base64 = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength).toString(
        'base64',
      );
      value.push(h.image(`data:${image.mimeType};base64,${base64}`));
    } else if (image.url != null && image.url !== '') {
      value.push(h.image(image.url));
    } else {
      warnings.push('an image without bytes or URL was dropped');
    }
  }
  if (value.length === 0) warnings.push('the answer has no text and no images');
  return { value, warnings };
}
