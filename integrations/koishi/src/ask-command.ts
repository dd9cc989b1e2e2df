import { type Context, h, type Session } from 'koishi';
import { answerToElements } from './answer-to-elements';
import { type ElementLike, elementsToParts, quotePlaceholder, textOfElements } from './elements-to-parts';
import { errorReply } from './error-reply';
import type { LLMContentPart } from './library-types';
import { placeOf, plain, type Runtime } from './runtime';

/** The quoted message as `[quote: "…"]` followed by its media (so "ask what is this?" on an image works). */
export function quoteParts(quote: Session['quote']): LLMContentPart[] {
  if (quote == null) return [];
  const elements: ElementLike[] = quote.elements ?? h.parse(quote.content ?? '');
  const media = elementsToParts(elements).value.filter((part) => part.type !== 'text');
  return [{ type: 'text', text: quotePlaceholder(textOfElements(elements)) }, ...media];
}

/** A group line as an observation: `name: text`, media kept. */
export function observationOf(name: string, parts: LLMContentPart[]): LLMContentPart[] {
  const [first, ...rest] = parts;
  if (first?.type === 'text') return [{ type: 'text', text: `${name}: ${first.text}` }, ...rest];
  return [{ type: 'text', text: `${name}:` }, ...parts];
}

/**
 * `ask <text>`: one turn of the asker's conversation in this channel (API.md §17), the message's images
 * (and a quoted message) passed on; the answer's text and images come back as elements. With
 * `observeGroups`, every other line of a group channel (not commands, not the bot's own) is recorded for
 * the next `ask` there.
 */
export function registerAsk(ctx: Context, runtime: Runtime): void {
  const { texts } = runtime;
  // `el` keeps the elements (images, mentions) as they are; a `text` argument would re-tokenize their markup.
  ctx
    .command('ask <text:el>', texts.describe.ask, { captureQuote: false, checkArgCount: false })
    .action(async ({ session }, text) => {
      const client = runtime.client;
      if (client === undefined || session === undefined) return plain(texts.notReady);
      const own = elementsToParts(text ?? []);
      for (const warning of own.warnings) runtime.logger.debug('ask: %s', warning);
      if (own.value.length === 0) return plain(texts.askUsage);
      try {
        const response = await client.sessions.ask(placeOf(session), [
          ...quoteParts(session.quote),
          ...own.value,
        ]);
        const answer = answerToElements(response);
        return answer.value.length > 0 ? answer.value : plain(texts.emptyAnswer);
      } catch (error) {
        return plain(errorReply(error, { lib: client.lib, logger: runtime.logger, texts }));
      }
    });

  if (!runtime.config.observeGroups) return;
  // Added after Koishi's command middleware, which does not pass executed commands on: this sees plain lines.
  ctx.middleware((session, next) => {
    const client = runtime.client;
    if (client !== undefined && !session.isDirect && session.userId !== session.selfId) {
      const parts = elementsToParts(session.elements ?? []).value;
      if (parts.length > 0) client.sessions.observe(placeOf(session), observationOf(session.username, parts));
    }
    return next();
  });
}
