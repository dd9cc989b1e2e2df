import { createInMemoryStore } from '../session/in-memory-store.js';
import type { SessionBackend } from '../session/session-types.js';
import type { CallRequest } from '../telemetry/client-telemetry.js';
import { generateWithTranscript, streamCall } from './chat-calls.js';
import type { ClientContext } from './client-context.js';
import { embedCall } from './embed.js';
import { guardAsync } from './guard.js';
import type { LLMStreamImpl } from './llm-stream.js';
import { generateStructuredCall } from './structured-calls.js';

const requestOf = (
  messages: unknown,
  options: { model?: string | readonly string[] | undefined; config?: unknown },
): CallRequest => ({
  model: options.model,
  config: options.config,
  input: messages,
});

/**
 * What sessions call: generation with the tool loop's transcript, streams, structured output, embeddings and the
 * client's in-process memory (shared by sessions without their own `memory`). Each is observed like the
 * client's public calls (cost, usage totals, spend, spans).
 */
export function createSessionBackend(ctx: ClientContext): SessionBackend {
  const memory = createInMemoryStore();
  const locale = ctx.config.locale;
  const { telemetry } = ctx;
  return {
    generate: (messages, options) =>
      telemetry.observe(
        'chat',
        requestOf(messages, options),
        () => guardAsync(locale, () => generateWithTranscript(ctx, messages, options)),
        (outcome) => outcome.response,
      ),
    stream: (messages, options, onTranscript) => {
      const stream = streamCall(ctx, messages, options, onTranscript);
      (stream as LLMStreamImpl).observe(telemetry.streamObserver('chat', requestOf(messages, options)));
      return stream;
    },
    generateStructured: async (messages, schema, options) => {
      const result = await telemetry.observe(
        'chat',
        requestOf(messages, options),
        () => guardAsync(locale, () => generateStructuredCall(ctx, messages, schema, options)),
        (done) => done.response,
      );
      return { value: result.value, response: result.response };
    },
    embed: (texts, options) =>
      telemetry.observe(
        'embeddings',
        { model: options?.model, embedding: true, input: texts },
        () => guardAsync(locale, () => embedCall(ctx, texts, options)),
        () => undefined,
      ),
    defaultMemory: () => memory,
    logger: ctx.logger,
  };
}
