import { createInMemoryStore } from '../session/in-memory-store.js';
import type { SessionBackend } from '../session/session-types.js';
import { generateWithTranscript, streamCall } from './chat-calls.js';
import type { ClientContext } from './client-context.js';
import { embedCall } from './embed.js';
import { guardAsync } from './guard.js';
import { generateStructuredCall } from './structured-calls.js';

/**
 * What sessions call: generation with the tool loop's transcript, streams, structured output, embeddings and the
 * client's in-process memory (shared by sessions without their own `memory`).
 */
export function createSessionBackend(ctx: ClientContext): SessionBackend {
  const memory = createInMemoryStore();
  const locale = ctx.config.locale;
  return {
    generate: (messages, options) => guardAsync(locale, () => generateWithTranscript(ctx, messages, options)),
    stream: (messages, options, onTranscript) => streamCall(ctx, messages, options, onTranscript),
    generateStructured: async (messages, schema, options) => {
      const result = await guardAsync(locale, () => generateStructuredCall(ctx, messages, schema, options));
      return { value: result.value, response: result.response };
    },
    embed: (texts, options) => guardAsync(locale, () => embedCall(ctx, texts, options)),
    defaultMemory: () => memory,
    logger: ctx.logger,
  };
}
