// vercel: the AI SDK (generateText / streamText / embedMany) with @ai-sdk/openai `provider.chat(...)`
// and @ai-sdk/google; defaults otherwise (global fetch, 2 retries honouring retry-after).
import { EMBED_TEXTS, GEMINI_MODEL, OPENAI_CHAT_MODEL, OPENAI_EMBED_MODEL } from '../payloads.mjs';
import { versionOf } from './versions.mjs';

export async function create({ base }) {
  globalThis.AI_SDK_LOG_WARNINGS = false;
  const [{ generateText, streamText, embedMany }, { createOpenAI }, { createGoogleGenerativeAI }] =
    await Promise.all([import('ai'), import('@ai-sdk/openai'), import('@ai-sdk/google')]);
  const openai = createOpenAI({ apiKey: 'test-key-1', baseURL: `${base}/v1` });
  const google = createGoogleGenerativeAI({ apiKey: 'test-key-1', baseURL: `${base}/v1beta` });
  const chatModel = openai.chat(OPENAI_CHAT_MODEL);
  const embeddingModel = openai.embedding(OPENAI_EMBED_MODEL);
  const geminiModel = google(GEMINI_MODEL);

  async function streamOf(model, prompt) {
    let failure;
    const result = streamText({
      model,
      prompt,
      onError: ({ error }) => {
        failure = error;
      },
    });
    const pieces = [];
    let firstAt = 0;
    for await (const piece of result.textStream) {
      if (piece === '') continue;
      if (pieces.length === 0) firstAt = performance.now();
      pieces.push(piece);
    }
    if (failure !== undefined) throw failure;
    const usage = await result.usage;
    return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens: usage.outputTokens };
  }

  return {
    version: `ai ${versionOf('ai')} + @ai-sdk/openai ${versionOf('@ai-sdk/openai')} + @ai-sdk/google ${versionOf('@ai-sdk/google')}`,
    async chat(prompt) {
      const result = await generateText({ model: chatModel, prompt });
      return { text: result.text };
    },
    stream: (prompt) => streamOf(chatModel, prompt),
    async embed() {
      const { embeddings } = await embedMany({ model: embeddingModel, values: EMBED_TEXTS });
      return embeddings;
    },
    async geminiChat(prompt) {
      const result = await generateText({ model: geminiModel, prompt });
      return { text: result.text };
    },
    geminiStream: (prompt) => streamOf(geminiModel, prompt),
    close: async () => {},
  };
}
