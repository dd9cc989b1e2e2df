// anthropic: the official @anthropic-ai/sdk with its defaults (global fetch, 2 retries); streams read as raw
// events (`stream: true`), the lightest way the SDK offers.
import { ANTHROPIC_MODEL } from '../payloads.mjs';
import { versionOf } from './versions.mjs';

export async function create({ base }) {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: 'test-key-1', baseURL: base });
  const params = (prompt) => ({
    model: ANTHROPIC_MODEL,
    max_tokens: 4096,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
  });
  return {
    version: `@anthropic-ai/sdk ${versionOf('@anthropic-ai/sdk')}`,
    async anthropicChat(prompt) {
      const message = await client.messages.create(params(prompt));
      return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join('') };
    },
    async anthropicStream(prompt) {
      const stream = await client.messages.create({ ...params(prompt), stream: true });
      const pieces = [];
      let firstAt = 0;
      let outputTokens;
      for await (const event of stream) {
        if (
          event.type === 'content_block_delta' &&
          event.delta.type === 'text_delta' &&
          event.delta.text !== ''
        ) {
          if (pieces.length === 0) firstAt = performance.now();
          pieces.push(event.delta.text);
        } else if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
      }
      return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens };
    },
    close: async () => {},
  };
}
