// openai: the official SDK with its defaults (global fetch, 2 retries, base64 embeddings).
import { EMBED_TEXTS, OPENAI_CHAT_MODEL, OPENAI_EMBED_MODEL } from '../payloads.mjs';
import { versionOf } from './versions.mjs';

export async function create({ base }) {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'test-key-1', baseURL: `${base}/v1` });
  return {
    version: `openai ${versionOf('openai')}`,
    async chat(prompt) {
      const completion = await client.chat.completions.create({
        model: OPENAI_CHAT_MODEL,
        messages: [{ role: 'user', content: prompt }],
      });
      return { text: completion.choices[0].message.content };
    },
    async stream(prompt) {
      const stream = await client.chat.completions.create({
        model: OPENAI_CHAT_MODEL,
        messages: [{ role: 'user', content: prompt }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const pieces = [];
      let firstAt = 0;
      let outputTokens;
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta?.content;
        if (typeof content === 'string' && content !== '') {
          if (pieces.length === 0) firstAt = performance.now();
          pieces.push(content);
        }
        if (chunk.usage != null) outputTokens = chunk.usage.completion_tokens;
      }
      return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens };
    },
    async embed() {
      const response = await client.embeddings.create({ model: OPENAI_EMBED_MODEL, input: EMBED_TEXTS });
      const vectors = new Array(response.data.length);
      for (const item of response.data) vectors[item.index] = item.embedding;
      return vectors;
    },
    close: async () => {},
  };
}
